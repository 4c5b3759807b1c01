using System.Security.Cryptography.X509Certificates;
using ExchangeGateway.Common.Identifiers;

namespace ExchangeGateway.MessageLog.Archiving;

/// <summary>Settings of a <see cref="MessageLogArchiver"/>; validated when it is built.</summary>
public sealed record ArchiverOptions
{
    /// <summary>The security server whose log this is; named in every manifest, whose signer must be its owner.</summary>
    public required SecurityServerId ServerId { get; init; }

    /// <summary>
    /// Records whose <c>at</c> is older than this move to archives (once a time-stamped checkpoint covers
    /// them); null never archives.
    /// </summary>
    public TimeSpan? ArchiveAfter { get; init; }

    /// <summary>
    /// Bodies of records whose <c>at</c> is older than this are erased from the live log and not written into
    /// later archives; null keeps bodies. May be shorter than <see cref="ArchiveAfter"/>. Bodies already in an
    /// archive stay there (an archive is never rewritten).
    /// </summary>
    public TimeSpan? BodyRetention { get; init; }

    /// <summary>
    /// When not empty, bodies in new archives are encrypted with a fresh AES-256-GCM key per archive, and the
    /// key is wrapped (CMS EnvelopedData) to each of these RSA certificates.
    /// </summary>
    public IReadOnlyList<X509Certificate2> EncryptionCertificates { get; init; } = [];

    /// <summary>
    /// The most records in one archive file; default 2,000. Each archive's rows are emptied in one
    /// transaction of the store's writer, during which appends wait: about 0.2–0.4 s for 2,000 records on a
    /// busy 2-core machine, about 1.4 s for 10,000 (MessageLog/README.md "Archives"). Larger archives mean
    /// fewer files and longer pauses.
    /// </summary>
    public int MaxRecordsPerArchive { get; init; } = 2_000;

    /// <summary>An archive closes once its records part holds this many bytes (at least one record goes in); default 32 MiB.</summary>
    public long MaxArchiveBytes { get; init; } = 32L * 1024 * 1024;

    /// <summary>Bodies erased per database transaction; default 1,000.</summary>
    public int EraseBatch { get; init; } = 1_000;

    /// <summary>How often <see cref="MessageLogArchiver.RunAsync"/> runs a pass; default 1 hour.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Throws when a value is out of range, so bad settings stop start-up.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(ServerId, nameof(ServerId));
        if (ArchiveAfter is { } archiveAfter)
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(archiveAfter, TimeSpan.Zero, nameof(ArchiveAfter));
        }

        if (BodyRetention is { } retention)
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(retention, TimeSpan.Zero, nameof(BodyRetention));
        }

        ArgumentNullException.ThrowIfNull(EncryptionCertificates, nameof(EncryptionCertificates));
        foreach (var certificate in EncryptionCertificates)
        {
            ArchiveKeys.CheckRecipient(certificate);
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(MaxRecordsPerArchive, 1, nameof(MaxRecordsPerArchive));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxArchiveBytes, 1, nameof(MaxArchiveBytes));
        ArgumentOutOfRangeException.ThrowIfLessThan(EraseBatch, 1, nameof(EraseBatch));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(Interval, TimeSpan.Zero, nameof(Interval));
    }
}
