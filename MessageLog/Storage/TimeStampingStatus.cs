namespace ExchangeGateway.MessageLog.Storage;

/// <summary>A snapshot of the log's time-stamping state, for health checks and metrics.</summary>
/// <param name="Committed">Records committed.</param>
/// <param name="Backlog">Records not yet covered by a time-stamped checkpoint.</param>
/// <param name="OldestUnstampedAt">When the oldest of them was committed; null when the backlog is empty.</param>
/// <param name="LastCheckpoint">The newest checkpoint, stamped or not.</param>
/// <param name="LastStampedCheckpoint">The newest time-stamped checkpoint.</param>
/// <param name="Period">The acceptable time-stamp failure period in force.</param>
/// <param name="IsWithinPeriod">False when new requests are refused with <see cref="LogFailure.TimestamperFailed"/>.</param>
public sealed record TimeStampingStatus(
    long Committed,
    long Backlog,
    DateTimeOffset? OldestUnstampedAt,
    CheckpointStatus? LastCheckpoint,
    CheckpointStatus? LastStampedCheckpoint,
    TimeSpan Period,
    bool IsWithinPeriod);
