namespace ExchangeGateway.MessageLog.Verification;

/// <summary>
/// The outcome of one <see cref="LogIntegrityVerifier"/> run: where it got to, and the first bad item when
/// something is wrong (named by record sequence and/or checkpoint tree size, like <see cref="LogVerificationResult"/>).
/// </summary>
public sealed record LogIntegrityResult
{
    /// <summary>True when nothing wrong was found.</summary>
    public bool IsValid => Failure == LogVerificationFailure.None;

    /// <summary>What is wrong; <see cref="LogVerificationFailure.None"/> when valid.</summary>
    public LogVerificationFailure Failure { get; init; }

    /// <summary>The first bad record's sequence; null when the failure is not a record's.</summary>
    public long? Sequence { get; init; }

    /// <summary>The first bad checkpoint's tree size; null when the failure is not a checkpoint's.</summary>
    public long? CheckpointTreeSize { get; init; }

    /// <summary>What failed, for people; null when valid.</summary>
    public string? Message { get; init; }

    /// <summary>
    /// Where verification stands after the run: the new position when valid; the starting position when not
    /// (the next run starts there again and finds the same problem until it is repaired).
    /// </summary>
    public required LogPosition Position { get; init; }

    /// <summary>Records read and checked in this run.</summary>
    public long Records { get; init; }

    /// <summary>Checkpoints checked in this run.</summary>
    public long Checkpoints { get; init; }

    /// <summary>The tree size of the newest checkpoint when the run read the log (0 when there is none).</summary>
    public long NewestCheckpoint { get; init; }

    /// <summary>The tree size the run was allowed to reach (the newest checkpoint, or <see cref="LogIntegrityOptions.UpTo"/>).</summary>
    public long Target { get; init; }

    /// <summary>The largest tree size whose checkpoint time-stamp this run verified; 0 when none.</summary>
    public long StampedTreeSize { get; init; }

    /// <summary>True when the run reached <see cref="Target"/> (false when a bound stopped it first).</summary>
    public bool ReachedTarget => IsValid && Position.TreeSize >= Target;

    /// <summary>The first bad item in words: <c>record 17</c>, <c>checkpoint 32</c>, or <c>log</c>.</summary>
    public string Item => Sequence is { } s ? $"record {s}" : CheckpointTreeSize is { } c ? $"checkpoint {c}" : "log";

    /// <inheritdoc />
    public override string ToString() => IsValid
        ? $"valid through {Position.TreeSize} ({Records} records, {Checkpoints} checkpoints checked)"
        : $"{Failure} at {Item}: {Message}";
}
