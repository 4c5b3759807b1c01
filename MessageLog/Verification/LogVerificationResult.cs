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

    /// <summary>The first bad archive's id, when the failure is an archive's.</summary>
    public long? ArchiveId { get; init; }

    /// <summary>Archives verified (0 without an archive directory).</summary>
    public long Archives { get; init; }

    /// <summary>Archived records checked against their archives (canonical bytes hashing to the live leaf, metadata equal).</summary>
    public long ArchivedRecords { get; init; }

    /// <summary>Archived records checked by their leaf only: no archive directory was given, so only the tree covers them.</summary>
    public long LeafOnlyRecords { get; init; }

    /// <summary>Records whose body was erased by body retention (their digest and leaf still verify).</summary>
    public long ErasedBodies { get; init; }

    /// <inheritdoc />
    public override string ToString() => IsValid
        ? $"valid: {Records} records, {Checkpoints} checkpoints ({StampedCheckpoints} time-stamps verified, covering {StampedTreeSize} records)"
            + (ErasedBodies > 0 ? $", {ErasedBodies} bodies erased by retention" : string.Empty)
            + (ArchivedRecords > 0 ? $", {ArchivedRecords} archived records checked against {Archives} archives" : string.Empty)
            + (LeafOnlyRecords > 0 ? $", {LeafOnlyRecords} archived records checked by leaf only (no archive directory given)" : string.Empty)
        : $"{Failure}" + (ArchiveId is { } a ? $" at archive {a}" : string.Empty) + (Sequence is { } s ? $" at record {s}" : string.Empty) + (CheckpointTreeSize is { } c ? $" at checkpoint {c}" : string.Empty) + $": {Message}";
}
