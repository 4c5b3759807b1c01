using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;
using ExchangeGateway.Common.Crypto.X509;
using ExchangeGateway.Common.Results;

namespace ExchangeGateway.Common.Crypto.Cms;

/// <summary>
/// Verifies detached CMS SignedData over given content: one signer, allowed algorithms, a message
/// digest that matches, a signature that verifies, an ESS signing-certificate attribute (when present)
/// naming the signer, and a signer chain valid for the purpose. Stateless and thread-safe; the same
/// code serves the proxies and the offline auditor.
/// </summary>
public sealed class CmsSignatureVerifier
{
    private readonly CertificateValidator _validator;

    /// <summary>Creates a verifier over a set of trust anchors.</summary>
    public CmsSignatureVerifier(CertificateValidator validator)
    {
        ArgumentNullException.ThrowIfNull(validator);
        _validator = validator;
    }

    /// <summary>
    /// Verifies <paramref name="signature"/> (DER SignedData) over <paramref name="content"/>.
    /// </summary>
    /// <param name="signature">The detached CMS signature.</param>
    /// <param name="content">The bytes that were signed.</param>
    /// <param name="at">The time the signer's certificate must be valid at.</param>
    /// <param name="purpose">What the signer certificate must be valid for.</param>
    /// <param name="extraCertificates">Certificates to find the signer or build its chain from, besides those in the signature.</param>
    /// <param name="requireSigningCertificateAttribute">Require ESS signing-certificate(-v2); our own signatures always carry it.</param>
    public VerificationResult<CmsSignatureInfo> Verify(
        ReadOnlySpan<byte> signature,
        ReadOnlySpan<byte> content,
        DateTimeOffset at,
        CertificatePurpose purpose = CertificatePurpose.Signing,
        IEnumerable<X509Certificate2>? extraCertificates = null,
        bool requireSigningCertificateAttribute = false)
    {
        var contentBytes = content.ToArray();
        var cms = new SignedCms(new ContentInfo(contentBytes), detached: true);
        try
        {
            cms.Decode(signature);
        }
        catch (CryptographicException ex)
        {
            return Fail(TrustFailure.Malformed, $"signature is not CMS SignedData: {ex.Message}");
        }

        if (cms.SignerInfos.Count != 1)
        {
            return Fail(TrustFailure.Malformed, $"expected exactly one signer, found {cms.SignerInfos.Count}");
        }

        var signerInfo = cms.SignerInfos[0];
        var digestOid = signerInfo.DigestAlgorithm.Value;
        var digestCheck = CryptoPolicy.CheckDigestAlgorithm(digestOid, "CMS signer");
        if (!digestCheck.IsValid)
        {
            return VerificationResult<CmsSignatureInfo>.From(digestCheck);
        }

        CryptoPolicy.TryGetHashAlgorithm(digestOid, out var digestAlgorithm);
        var sigAlgCheck = CheckSignatureAlgorithm(signerInfo.SignatureAlgorithm.Value);
        if (!sigAlgCheck.IsValid)
        {
            return VerificationResult<CmsSignatureInfo>.From(sigAlgCheck);
        }

        var extra = new X509Certificate2Collection();
        if (extraCertificates is not null)
        {
            extra.AddRange(extraCertificates.ToArray());
        }

        var signer = signerInfo.Certificate ?? FindSigner(signerInfo, extra);
        if (signer is null)
        {
            return Fail(TrustFailure.UntrustedCertificate, "the signer's certificate is neither in the signature nor among the known certificates");
        }

        var attributes = signerInfo.SignedAttributes;
        var contentTypeOk = false;
        byte[]? messageDigest = null;
        DateTimeOffset? signingTime = null;
        foreach (var attribute in attributes)
        {
            switch (attribute.Oid.Value)
            {
                case Oids.ContentType:
                    contentTypeOk = attribute.Values.Count == 1 && new Pkcs9ContentType { RawData = attribute.Values[0].RawData }.ContentType.Value == Oids.CmsData;
                    break;
                case Oids.MessageDigest:
                    messageDigest = attribute.Values.Count == 1 ? new Pkcs9MessageDigest { RawData = attribute.Values[0].RawData }.MessageDigest : null;
                    break;
                case Oids.SigningTime when attribute.Values.Count == 1:
                    signingTime = new DateTimeOffset(new Pkcs9SigningTime(attribute.Values[0].RawData).SigningTime.ToUniversalTime(), TimeSpan.Zero);
                    break;
            }
        }

        // RFC 5652 §5.3: with signed attributes, content-type and message-digest are mandatory.
        if (!contentTypeOk)
        {
            return Fail(TrustFailure.SignedAttributeInvalid, "the content-type attribute is missing or is not id-data");
        }

        if (messageDigest is null)
        {
            return Fail(TrustFailure.SignedAttributeInvalid, "the message-digest attribute is missing");
        }

        var actualDigest = CryptographicOperations.HashData(digestAlgorithm, contentBytes);
        if (!CryptographicOperations.FixedTimeEquals(actualDigest, messageDigest))
        {
            return Fail(TrustFailure.DigestMismatch, "the signed message digest does not match the content");
        }

        var ess = EssSigningCertificate.Matches(attributes, signer);
        if (ess == false)
        {
            return Fail(TrustFailure.SignedAttributeInvalid, "the signing-certificate attribute names a different certificate");
        }

        if (ess is null && requireSigningCertificateAttribute)
        {
            return Fail(TrustFailure.SignedAttributeInvalid, "the signing-certificate attribute is missing");
        }

        var keyCheck = CryptoPolicy.CheckPublicKey(signer, $"signer certificate '{signer.Subject}'");
        if (!keyCheck.IsValid)
        {
            return VerificationResult<CmsSignatureInfo>.From(keyCheck);
        }

        try
        {
            signerInfo.CheckSignature(new X509Certificate2Collection(signer), verifySignatureOnly: true);
        }
        catch (CryptographicException)
        {
            return Fail(TrustFailure.SignatureInvalid, $"the signature by '{signer.Subject}' does not verify");
        }

        var chainCandidates = cms.Certificates.Cast<X509Certificate2>().Concat(extra.Cast<X509Certificate2>());
        var chain = _validator.Validate(signer, purpose, at, chainCandidates);
        if (!chain.IsValid)
        {
            return VerificationResult<CmsSignatureInfo>.Fail(chain.Failure.Value, chain.Message);
        }

        return VerificationResult<CmsSignatureInfo>.Ok(new CmsSignatureInfo(signer, chain.Value, digestAlgorithm, signingTime));
    }

    private static VerificationResult CheckSignatureAlgorithm(string? oid) =>
        // CMS commonly names the key algorithm (rsaEncryption, id-ecPublicKey) as the signature algorithm
        // and carries the digest separately (RFC 5754 §3.2, RFC 5753 §7.1.2); the digest was checked already.
        oid is Oids.Rsa or Oids.EcPublicKey ? VerificationResult.Ok : CryptoPolicy.CheckSignatureAlgorithm(oid, "CMS signature");

    private static X509Certificate2? FindSigner(SignerInfo signerInfo, X509Certificate2Collection candidates)
    {
        var id = signerInfo.SignerIdentifier;
        foreach (var c in candidates)
        {
            switch (id.Type)
            {
                case SubjectIdentifierType.IssuerAndSerialNumber when id.Value is X509IssuerSerial issuerSerial:
                    if (c.IssuerName.Name == issuerSerial.IssuerName && string.Equals(c.SerialNumber, issuerSerial.SerialNumber, StringComparison.OrdinalIgnoreCase))
                    {
                        return c;
                    }

                    break;
                case SubjectIdentifierType.SubjectKeyIdentifier when id.Value is string ski:
                    var ext = c.Extensions.OfType<X509SubjectKeyIdentifierExtension>().FirstOrDefault();
                    if (ext is not null && string.Equals(ext.SubjectKeyIdentifier, ski, StringComparison.OrdinalIgnoreCase))
                    {
                        return c;
                    }

                    break;
            }
        }

        return null;
    }

    private static VerificationResult<CmsSignatureInfo> Fail(TrustFailure failure, string message) =>
        VerificationResult<CmsSignatureInfo>.Fail(failure, message);
}
