using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ExchangeGateway.Signer.Identities;

/// <summary>
/// The security server's TLS identity: its authentication certificate with the private key, and the
/// issuing chain (leaf's issuer first). Usable by <see cref="SslStream"/> both as the server
/// certificate of the server proxy and as the client certificate when connecting to another security
/// server. Owns its certificates; dispose it when it is replaced.
/// </summary>
public sealed class AuthenticationIdentity : IDisposable
{
    private readonly Lazy<SslStreamCertificateContext> _context;

    /// <summary>
    /// Wraps a certificate that carries its private key, with its issuing chain (issuer first). The
    /// identity takes ownership of the certificates. The server's identity comes from
    /// <see cref="Tokens.SoftwareToken.GetAuthenticationIdentity"/>; this constructor also serves tests with
    /// certificates from elsewhere (a test PKI).
    /// </summary>
    /// <exception cref="ArgumentException">The certificate carries no private key.</exception>
    public AuthenticationIdentity(X509Certificate2 certificate, IReadOnlyList<X509Certificate2> chain)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(chain);
        if (!certificate.HasPrivateKey)
        {
            throw new ArgumentException("The authentication certificate must carry its private key.", nameof(certificate));
        }

        Certificate = certificate;
        Chain = chain;
        CertificateSha256 = Convert.ToHexStringLower(certificate.GetCertHash(HashAlgorithmName.SHA256));

        // offline: true — the chain comes from the key store, and .NET must not fetch anything (AIA
        // downloads, its own OCSP stapling) from the network on the TLS path; OCSP for this certificate
        // is the OcspStatusManager's job.
        _context = new Lazy<SslStreamCertificateContext>(
            () => SslStreamCertificateContext.Create(Certificate, [.. Chain], offline: true),
            LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The authentication certificate, carrying its private key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The issuing chain, from the leaf's issuer up (the root may be included).</summary>
    public IReadOnlyList<X509Certificate2> Chain { get; }

    /// <summary>
    /// SHA-256 of the certificate's DER in lowercase hex: the hash the Central Server registers for this
    /// server and peers check in global configuration.
    /// </summary>
    public string CertificateSha256 { get; }

    /// <summary>
    /// The certificate and chain as one TLS context, built once: set it as
    /// <see cref="SslServerAuthenticationOptions.ServerCertificateContext"/> or
    /// <see cref="SslClientAuthenticationOptions.ClientCertificateContext"/>.
    /// </summary>
    public SslStreamCertificateContext SslCertificateContext => _context.Value;

    /// <inheritdoc />
    public void Dispose()
    {
        Certificate.Dispose();
        foreach (var c in Chain)
        {
            c.Dispose();
        }
    }
}
