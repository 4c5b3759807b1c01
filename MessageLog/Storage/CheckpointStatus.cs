namespace ExchangeGateway.MessageLog.Storage;

/// <summary>A checkpoint as health and metrics see it.</summary>
/// <param name="TreeSize">Records it covers (sequences 1 to TreeSize).</param>
/// <param name="CreatedAt">When the integrator made it.</param>
/// <param name="StampedAt">The time-stamp's genTime; null while unstamped.</param>
public sealed record CheckpointStatus(long TreeSize, DateTimeOffset CreatedAt, DateTimeOffset? StampedAt);
