using System.Security.Cryptography.X509Certificates;

namespace ExchangeGateway.MessageLog.Verification;

/// <summary>The trust material and choices of a <see cref="MessageLogVerifier"/> run. Without trust material only the structure is checked.</summary>
public sealed record MessageLogVerifierOptions
{
    /// <summary>CA certificates the checkpoint signer must chain to (approved CAs of global configuration); null skips signature checks.</summary>
    public IReadOnlyList<X509Certificate2>? SigningAnchors { get; init; }

    /// <summary>Intermediate CA certificates for building signer chains.</summary>
    public IReadOnlyList<X509Certificate2>? SigningIntermediates { get; init; }

    /// <summary>Approved TSA certificates: a checkpoint's time-stamp must be signed by one of them; null skips time-stamp checks.</summary>
    public IReadOnlyList<X509Certificate2>? TsaCertificates { get; init; }

    /// <summary>When set, every checkpoint must name this server id.</summary>
    public string? ServerId { get; init; }

    /// <summary>Recompute SHA-512 of every stored body (the slow part on large logs); default true.</summary>
    public bool CheckBodies { get; init; } = true;

    /// <summary>Tolerance for certificates and time-stamps dated slightly ahead; default 5 min.</summary>
    public TimeSpan ClockSkew { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The log's archive directory. When set, every archive the archive table names is verified on its own
    /// (<see cref="Archiving.ArchiveVerifier"/>: signature with the signing anchors, chain, records hash,
    /// records and bodies) and against the live log (each archived record's canonical bytes hash to the live
    /// leaf, its metadata equal the live row's, the table's hashes equal the files'). When null, archived rows
    /// are checked by their leaf only, and counted in <see cref="LogVerificationResult.LeafOnlyRecords"/>.
    /// </summary>
    public string? ArchiveDirectory { get; init; }

    /// <summary>Certificates with private keys to decrypt encrypted archives' bodies, so their digests are checked too.</summary>
    public IReadOnlyList<X509Certificate2>? ArchiveDecryptionCertificates { get; init; }

    /// <summary>The member a signer certificate belongs to, for the archives' signer check (<see cref="Archiving.ArchiveVerifierOptions.SignerMember"/>); the default profile when null.</summary>
    public Func<X509Certificate2, string?>? SignerMember { get; init; }

    /// <summary>The clock used to reject time-stamps from the future; the system clock when null.</summary>
    public TimeProvider? Time { get; init; }
}
