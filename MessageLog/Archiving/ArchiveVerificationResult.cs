namespace ExchangeGateway.MessageLog.Archiving;

/// <summary>
/// The outcome of <see cref="ArchiveVerifier.Verify"/>: valid with counts, or the first bad archive (by id
/// and file) and, when the failure is a record's, its sequence.
/// </summary>
public sealed record ArchiveVerificationResult
{
    /// <summary>True when every check passed.</summary>
    public bool IsValid => Failure == ArchiveVerificationFailure.None;

    /// <summary>What is wrong; <see cref="ArchiveVerificationFailure.None"/> when valid.</summary>
    public ArchiveVerificationFailure Failure { get; init; }

    /// <summary>The first bad archive's id (for a missing archive, the missing id); null when valid.</summary>
    public long? ArchiveId { get; init; }

    /// <summary>The first bad archive's file name, when there is a file.</summary>
    public string? FileName { get; init; }

    /// <summary>The first bad record's sequence, when the failure is a record's.</summary>
    public long? Sequence { get; init; }

    /// <summary>What failed, for people; null when valid.</summary>
    public string? Message { get; init; }

    /// <summary>Archives verified.</summary>
    public long Archives { get; init; }

    /// <summary>Records verified.</summary>
    public long Records { get; init; }

    /// <summary>The last record of the last verified archive; 0 when none.</summary>
    public long LastSequence { get; init; }

    /// <summary>True when signatures were checked against trust anchors (chain and member), not only for integrity.</summary>
    public bool SignersVerified { get; init; }

    /// <summary>Encrypted bodies whose plaintext could not be checked because no decryption certificate was given (their tags and the records hash still were).</summary>
    public long SealedBodies { get; init; }

    /// <inheritdoc />
    public override string ToString() => IsValid
        ? $"valid: {Archives} archives, {Records} records up to {LastSequence}" + (SignersVerified ? ", signers verified" : ", signatures checked for integrity only (no trust anchors)") + (SealedBodies > 0 ? $", {SealedBodies} encrypted bodies not decrypted" : string.Empty)
        : $"{Failure}" + (ArchiveId is { } id ? $" at archive {id}" : string.Empty) + (FileName is { } f ? $" ({f})" : string.Empty) + (Sequence is { } s ? $" record {s}" : string.Empty) + $": {Message}";
}
