namespace ExchangeGateway.MessageLog.Archiving;

/// <summary>The first thing wrong with a directory of archives, as <see cref="ArchiveVerifier"/> finds it.</summary>
public enum ArchiveVerificationFailure
{
    /// <summary>Nothing: every archive verifies.</summary>
    None = 0,

    /// <summary>The directory or an archive file cannot be read, or a file is not a well-formed archive container (parts missing, extra, out of order or too large).</summary>
    Unreadable,

    /// <summary>A manifest does not parse.</summary>
    MalformedManifest,

    /// <summary>A manifest's signature does not verify (changed manifest, bad CMS, or a signer that does not chain to the trust anchors).</summary>
    SignatureInvalid,

    /// <summary>A manifest is signed by a member other than the owner of the server it names (or the signer's member cannot be read).</summary>
    WrongSigner,

    /// <summary>
    /// The chain is broken: an archive is missing (a gap in the ids), an archive's previous-manifest hash is
    /// not the previous manifest's SHA-256, its records do not continue where the previous archive's ended,
    /// it names another server, or its file name and manifest disagree.
    /// </summary>
    ChainBroken,

    /// <summary>The wrapped-key part does not match the manifest, or cannot be unwrapped with the given decryption certificates.</summary>
    KeyInvalid,

    /// <summary>A records-part entry is malformed: bad framing, canonical bytes that do not decode, a sequence out of order, or more or fewer records than the manifest says.</summary>
    MalformedRecord,

    /// <summary>A record's canonical bytes do not hash to its leaf (the archive's, or the live log's when checked against a database).</summary>
    LeafMismatch,

    /// <summary>A body does not hash to the record's SHA-512 digest, or an encrypted body fails its authentication tag.</summary>
    BodyDigestMismatch,

    /// <summary>The records part does not hash to the manifest's records-sha256 (every record checked out, so the change is in the framing).</summary>
    RecordsHashMismatch,

    /// <summary>An archive disagrees with the live log it came from (checked by the message-log verifier only): its rows, leaves, metadata or the archive table.</summary>
    LogMismatch,
}
