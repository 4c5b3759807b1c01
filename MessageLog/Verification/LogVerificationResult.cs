namespace ExchangeGateway.MessageLog.Verification;

/// <summary>
/// The outcome of <see cref="MessageLogVerifier.Verify"/>: valid with counts, or the first bad item,
/// named by record sequence and/or checkpoint tree size.
/// </summary>
public sealed record LogVerificationResult
{
    /// <summary>True when every check passed.</summary>
    public bool IsValid => Failure == LogVerificationFailure.None;

    /// <summary>What is wrong; <see cref="LogVerificationFailure.None"/> when valid.</summary>
    public LogVerificationFailure Failure { get; init; }

    /// <summary>The first bad record's sequence (for a missing record, the first missing one); null when the failure is not a record's.</summary>
    public long? Sequence { get; init; }

    /// <summary>The tree size of the first bad checkpoint; null when the failure is not a checkpoint's.</summary>
    public long? CheckpointTreeSize { get; init; }

    /// <summary>What failed, for people; null when valid.</summary>
    public string? Message { get; init; }

    /// <summary>Records checked (all of them when valid).</summary>
    public long Records { get; init; }

    /// <summary>Checkpoints checked.</summary>
    public long Checkpoints { get; init; }

    /// <summary>Checkpoints with a time-stamp that was verified (0 when no TSA certificates were given).</summary>
    public long StampedCheckpoints { get; init; }

    /// <summary>The largest tree size covered by a verified time-stamp; 0 when none.</summary>
    public long StampedTreeSize { get; init; }

    /// <inheritdoc />
    public override string ToString() => IsValid
        ? $"valid: {Records} records, {Checkpoints} checkpoints ({StampedCheckpoints} time-stamps verified, covering {StampedTreeSize} records)"
        : $"{Failure}" + (Sequence is { } s ? $" at record {s}" : string.Empty) + (CheckpointTreeSize is { } c ? $" at checkpoint {c}" : string.Empty) + $": {Message}";
}
