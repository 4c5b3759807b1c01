namespace ExchangeGateway.SecurityServer.Auditing;

/// <summary>A snapshot of the integrity monitor (immutable; a new one after every run).</summary>
public sealed record IntegrityStatus
{
    /// <summary>The monitor's verdict.</summary>
    public IntegrityState State { get; init; }

    /// <summary>When the last run ended; null before the first.</summary>
    public DateTimeOffset? LastRunAt { get; init; }

    /// <summary>The last run's result: <c>ok</c>, <c>failed</c> or <c>skipped</c>; null before the first.</summary>
    public string? LastRunResult { get; init; }

    /// <summary>Why the last run was skipped or what it found; null when it passed.</summary>
    public string? LastRunMessage { get; init; }

    /// <summary>Records (1 to this) verified against checkpoints as the log grew, in this process.</summary>
    public long VerifiedTreeSize { get; init; }

    /// <summary>How far the current full re-verification (from record 1) has got.</summary>
    public long FullVerificationPosition { get; init; }

    /// <summary>When a full re-verification from record 1 last completed without a finding; null before the first.</summary>
    public DateTimeOffset? LastFullVerificationAt { get; init; }

    /// <summary>The finding while <see cref="State"/> is <see cref="IntegrityState.Failed"/> (the latest one); null otherwise.</summary>
    public IntegrityFinding? Finding { get; init; }

    /// <summary>New findings since the process started (what <c>xgw_messagelog_integrity_failures_total</c> counts).</summary>
    public long Findings { get; init; }
}
