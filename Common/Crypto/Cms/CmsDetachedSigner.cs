using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;

namespace ExchangeGateway.Common.Crypto.Cms;

/// <summary>
/// Creates detached CMS SignedData (RFC 5652 §5) with signed attributes: content type, message digest,
/// signing time and ESS signing-certificate-v2 (RFC 5035). The output verifies with
/// <c>openssl cms -verify -binary -content FILE</c> given the same bytes.
/// </summary>
public static class CmsDetachedSigner
{
    /// <summary>Signs <paramref name="content"/> with a certificate that carries its private key.</summary>
    /// <param name="content">The exact bytes to sign; they are not embedded in the output.</param>
    /// <param name="signer">The signing certificate with its private key.</param>
    /// <param name="signingTime">The signing-time attribute (from the caller's TimeProvider).</param>
    /// <param name="chain">Certificates to include besides the signer (e.g. the issuing CA).</param>
    /// <param name="digest">SHA-256 unless a peer requires more.</param>
    public static byte[] Sign(
        ReadOnlySpan<byte> content,
        X509Certificate2 signer,
        DateTimeOffset signingTime,
        IEnumerable<X509Certificate2>? chain = null,
        HashAlgorithmName? digest = null) =>
        Sign(content, signer, privateKey: null, signingTime, chain, digest);

    /// <summary>Signs with an explicit private key held outside the certificate (the Signer's keys).</summary>
    public static byte[] Sign(
        ReadOnlySpan<byte> content,
        X509Certificate2 signer,
        AsymmetricAlgorithm? privateKey,
        DateTimeOffset signingTime,
        IEnumerable<X509Certificate2>? chain = null,
        HashAlgorithmName? digest = null)
    {
        ArgumentNullException.ThrowIfNull(signer);
        var hash = digest ?? HashAlgorithmName.SHA256;
        var cms = new SignedCms(new ContentInfo(content.ToArray()), detached: true);
        var cmsSigner = new CmsSigner(SubjectIdentifierType.IssuerAndSerialNumber, signer, privateKey)
        {
            DigestAlgorithm = new Oid(CryptoPolicy.GetHashOid(hash)),
            IncludeOption = X509IncludeOption.EndCertOnly,
        };
        if (chain is not null)
        {
            foreach (var c in chain)
            {
                if (c.Thumbprint != signer.Thumbprint)
                {
                    cmsSigner.Certificates.Add(c);
                }
            }
        }

        // Content type and message digest are added by SignedCms itself (RFC 5652 §5.3 requires both).
        cmsSigner.SignedAttributes.Add(new Pkcs9SigningTime(signingTime.UtcDateTime));
        cmsSigner.SignedAttributes.Add(EssSigningCertificate.CreateV2(signer));
        cms.ComputeSignature(cmsSigner, silent: true);
        return cms.Encode();
    }
}
