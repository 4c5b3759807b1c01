namespace ExchangeGateway.MessageLog.Verification;

/// <summary>The first thing wrong with a message log, as <see cref="MessageLogVerifier"/> finds it.</summary>
public enum LogVerificationFailure
{
    /// <summary>Nothing: the log verifies.</summary>
    None = 0,

    /// <summary>The file cannot be opened or read as SQLite (missing, truncated, corrupt pages).</summary>
    Unreadable,

    /// <summary>The file is an SQLite database but not a message log of a schema this code knows.</summary>
    NotAMessageLog,

    /// <summary>A sequence number is missing: a record was deleted.</summary>
    MissingRecord,

    /// <summary>A stored record breaks the record rules (wrong types, bad lengths, unknown side or kind).</summary>
    MalformedRecord,

    /// <summary>A record's canonical bytes do not hash to its stored leaf: a field was changed or records were reordered.</summary>
    LeafMismatch,

    /// <summary>A stored body's SHA-512 is not the record's body digest.</summary>
    BodyDigestMismatch,

    /// <summary>A checkpoint's canonical bytes do not parse, or disagree with its stored columns or the expected server.</summary>
    MalformedCheckpoint,

    /// <summary>A checkpoint's root is not the root of the records it claims to cover.</summary>
    RootMismatch,

    /// <summary>A checkpoint covers more records than the log holds: the tail was cut off.</summary>
    CheckpointBeyondLog,

    /// <summary>A checkpoint's signature does not verify against the given signing anchors.</summary>
    SignatureInvalid,

    /// <summary>A checkpoint's time-stamp does not verify over its signature against the given TSA certificates.</summary>
    TimeStampInvalid,

    /// <summary>
    /// The newest checkpoint is smaller than what an earlier <see cref="LogIntegrityVerifier"/> run already verified
    /// against checkpoints: checkpoints were deleted, or the database was replaced by an older copy.
    /// </summary>
    CheckpointMissing,

    /// <summary>An archive is bad on its own (signature, chain, records hash, a record or body inside it): see <see cref="LogVerificationResult.ArchiveId"/>.</summary>
    ArchiveInvalid,

    /// <summary>
    /// The archives and the live log disagree: the archive table's chain or hashes, an archived row that no
    /// archive covers or whose leaf or metadata differ from its archived record, or an archive file the table names that is not there.
    /// </summary>
    ArchiveMismatch,
}
