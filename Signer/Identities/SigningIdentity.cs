using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ExchangeGateway.Common.Identifiers;

namespace ExchangeGateway.Signer.Identities;

/// <summary>
/// A member's signing identity: the member, its signing certificate with the private key, and the
/// issuing chain (leaf's issuer first). Owns its certificates and key; once handed to a
/// <see cref="Signing.BatchingSigner"/> the signer owns it.
/// </summary>
public sealed class SigningIdentity : IDisposable
{
    /// <summary>
    /// Wraps a certificate that carries its private key (from a test PKI, or a host's own loader). The
    /// identity takes ownership of <paramref name="certificateWithKey"/> and the chain certificates.
    /// </summary>
    /// <param name="member">The member whose signatures this identity makes.</param>
    /// <param name="certificateWithKey">The signing certificate with its ECDSA or RSA private key.</param>
    /// <param name="chain">The issuing chain, issuer first.</param>
    /// <exception cref="ArgumentException">The certificate carries no ECDSA or RSA private key.</exception>
    public SigningIdentity(MemberId member, X509Certificate2 certificateWithKey, IReadOnlyList<X509Certificate2> chain)
        : this(
            member ?? throw new ArgumentNullException(nameof(member)),
            certificateWithKey ?? throw new ArgumentNullException(nameof(certificateWithKey)),
            (AsymmetricAlgorithm?)certificateWithKey.GetECDsaPrivateKey() ?? certificateWithKey.GetRSAPrivateKey()
                ?? throw new ArgumentException("The certificate carries no ECDSA or RSA private key.", nameof(certificateWithKey)),
            chain ?? throw new ArgumentNullException(nameof(chain)))
    {
    }

    internal SigningIdentity(MemberId member, X509Certificate2 certificate, AsymmetricAlgorithm privateKey, IReadOnlyList<X509Certificate2> chain)
    {
        Member = member;
        Certificate = certificate;
        PrivateKey = privateKey;
        Chain = chain;
        CertificateSha256 = Convert.ToHexStringLower(certificate.GetCertHash(HashAlgorithmName.SHA256));
    }

    /// <summary>The member whose signatures this identity makes.</summary>
    public MemberId Member { get; }

    /// <summary>The signing certificate, carrying its private key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The issuing chain, from the leaf's issuer up (the root may be included).</summary>
    public IReadOnlyList<X509Certificate2> Chain { get; }

    /// <summary>SHA-256 of the certificate's DER in lowercase hex.</summary>
    public string CertificateSha256 { get; }

    /// <summary>
    /// The key itself, passed explicitly to the CMS signer: asking the certificate for it would wrap a new
    /// key object on every signature.
    /// </summary>
    internal AsymmetricAlgorithm PrivateKey { get; }

    /// <inheritdoc />
    public void Dispose()
    {
        Certificate.Dispose();
        PrivateKey.Dispose();
        foreach (var c in Chain)
        {
            c.Dispose();
        }
    }
}
