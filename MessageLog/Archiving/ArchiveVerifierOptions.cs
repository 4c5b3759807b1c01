using System.Security.Cryptography.X509Certificates;

namespace ExchangeGateway.MessageLog.Archiving;

/// <summary>Trust material and choices of an <see cref="ArchiveVerifier"/> run.</summary>
public sealed record ArchiveVerifierOptions
{
    /// <summary>
    /// CA certificates the manifest signers must chain to (approved CAs of global configuration). Without
    /// them a signature is checked only against the certificate it carries: that catches a changed manifest,
    /// not a forger with a self-made certificate.
    /// </summary>
    public IReadOnlyList<X509Certificate2>? SigningAnchors { get; init; }

    /// <summary>Intermediate CA certificates for building signer chains.</summary>
    public IReadOnlyList<X509Certificate2>? SigningIntermediates { get; init; }

    /// <summary>When set, every archive must name this server; otherwise every archive must name the server the first one names.</summary>
    public string? ServerId { get; init; }

    /// <summary>
    /// The member (canonical text, e.g. <c>DEV/GOV/70000001</c>) a signer certificate belongs to, or null when
    /// it names none; it must be the owner of the server the manifest names. By default the subject is read
    /// with the default certificate profile (C = instance, O = member class, CN = member code).
    /// </summary>
    public Func<X509Certificate2, string?>? SignerMember { get; init; }

    /// <summary>Certificates with private keys that unwrap encrypted archives' keys, so bodies are decrypted and checked against their digests.</summary>
    public IReadOnlyList<X509Certificate2>? DecryptionCertificates { get; init; }

    /// <summary>Verify archives 1 to this id only (a later file, such as one a crash left before the database named it, is ignored); null verifies all.</summary>
    public long? UpToArchive { get; init; }

    /// <summary>Tolerance for certificates dated slightly ahead; default 5 min.</summary>
    public TimeSpan ClockSkew { get; init; } = TimeSpan.FromMinutes(5);
}
