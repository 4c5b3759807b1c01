using System.Formats.Asn1;
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
    private readonly CertificateCache _certificates = new();

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
        var extra = extraCertificates?.ToArray() ?? [];
        var encoded = signature.ToArray();
        if (SignedDataReader.TryRead(encoded, out var parts))
        {
            var fast = TryVerifyParsed(parts, content, at, purpose, extra, requireSigningCertificateAttribute);
            if (fast is { } decided)
            {
                return decided;
            }
        }

        // Not DER, or an algorithm the direct path does not handle (e.g. RSASSA-PSS): let SignedCms decide.
        return VerifyWithSignedCms(encoded, content, at, purpose, extra, requireSigningCertificateAttribute);
    }

    private VerificationResult<CmsSignatureInfo>? TryVerifyParsed(
        SignedDataParts parts,
        ReadOnlySpan<byte> content,
        DateTimeOffset at,
        CertificatePurpose purpose,
        X509Certificate2[] extra,
        bool requireSigningCertificateAttribute)
    {
        if (parts.Signers.Count != 1)
        {
            return Fail(TrustFailure.Malformed, $"expected exactly one signer, found {parts.Signers.Count}");
        }

        var signerInfo = parts.Signers[0];
        if (!IsDirectlySupported(signerInfo))
        {
            return null;
        }

        var digestCheck = CryptoPolicy.CheckDigestAlgorithm(signerInfo.DigestAlgorithm.Oid, "CMS signer");
        if (!digestCheck.IsValid)
        {
            return VerificationResult<CmsSignatureInfo>.From(digestCheck);
        }

        CryptoPolicy.TryGetHashAlgorithm(signerInfo.DigestAlgorithm.Oid, out var digestAlgorithm);
        var sigAlgCheck = CheckSignatureAlgorithm(signerInfo.SignatureAlgorithm);
        if (!sigAlgCheck.IsValid)
        {
            return VerificationResult<CmsSignatureInfo>.From(sigAlgCheck);
        }

        var embedded = new List<X509Certificate2>(parts.Certificates.Count);
        try
        {
            foreach (var der in parts.Certificates)
            {
                embedded.Add(_certificates.GetOrLoad(der.Span));
            }
        }
        catch (CryptographicException ex)
        {
            return Fail(TrustFailure.Malformed, $"an embedded certificate cannot be parsed: {ex.Message}");
        }

        var signer = FindSigner(signerInfo, embedded) ?? FindSigner(signerInfo, extra);
        if (signer is null)
        {
            return Fail(TrustFailure.UntrustedCertificate, "the signer's certificate is neither in the signature nor among the known certificates");
        }

        if (signerInfo.SignedAttributesEncoded is not { } signedAttributesEncoded)
        {
            return Fail(TrustFailure.SignedAttributeInvalid, "the content-type attribute is missing or is not id-data");
        }

        var contentTypeOk = false;
        byte[]? messageDigest = null;
        DateTimeOffset? signingTime = null;
        bool? ess = null;
        try
        {
            foreach (var (oid, values) in signerInfo.SignedAttributes)
            {
                switch (oid)
                {
                    case Oids.ContentType:
                        contentTypeOk = parts.ContentType == Oids.CmsData && values.Count == 1
                            && new AsnReader(values[0], AsnEncodingRules.DER).ReadObjectIdentifier() == Oids.CmsData;
                        break;
                    case Oids.MessageDigest:
                        messageDigest = values.Count == 1 ? new AsnReader(values[0], AsnEncodingRules.DER).ReadOctetString() : null;
                        break;
                    case Oids.SigningTime when values.Count == 1:
                        signingTime = ReadTime(values[0]);
                        break;
                    case Oids.SigningCertificate or Oids.SigningCertificateV2 when ess is null:
                        var id = values.Count == 1 ? EssCertificateId.Read(values[0].ToArray(), v2: oid == Oids.SigningCertificateV2) : default;
                        ess = values.Count == 1 && id.IsValid && id.Value.Matches(signer);
                        break;
                }
            }
        }
        catch (AsnContentException ex)
        {
            return Fail(TrustFailure.SignedAttributeInvalid, $"a signed attribute is malformed: {ex.Message}");
        }

        var checkedAttributes = CheckAttributes(contentTypeOk, messageDigest, digestAlgorithm, content, ess, requireSigningCertificateAttribute);
        if (checkedAttributes is not null)
        {
            return checkedAttributes;
        }

        var keyCheck = CryptoPolicy.CheckPublicKey(signer, $"signer certificate '{signer.Subject}'");
        if (!keyCheck.IsValid)
        {
            return VerificationResult<CmsSignatureInfo>.From(keyCheck);
        }

        // RFC 5652 §5.4: the signature covers the DER of the signed attributes with an explicit SET OF tag.
        var signedBytes = signedAttributesEncoded.ToArray();
        signedBytes[0] = 0x31;
        if (!VerifySignatureValue(signer, signerInfo, digestAlgorithm, signedBytes))
        {
            return Fail(TrustFailure.SignatureInvalid, $"the signature by '{signer.Subject}' does not verify");
        }

        return ValidateSigner(signer, purpose, at, embedded.Concat(extra), digestAlgorithm, signingTime);
    }

    private VerificationResult<CmsSignatureInfo> VerifyWithSignedCms(
        byte[] signature,
        ReadOnlySpan<byte> content,
        DateTimeOffset at,
        CertificatePurpose purpose,
        X509Certificate2[] extraCertificates,
        bool requireSigningCertificateAttribute)
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

        var extra = new X509Certificate2Collection(extraCertificates);

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

        var ess = EssSigningCertificate.Matches(attributes, signer);
        if (CheckAttributes(contentTypeOk, messageDigest, digestAlgorithm, contentBytes, ess, requireSigningCertificateAttribute) is { } attributeFailure)
        {
            return attributeFailure;
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

        return ValidateSigner(signer, purpose, at, cms.Certificates.Cast<X509Certificate2>().Concat(extra.Cast<X509Certificate2>()), digestAlgorithm, signingTime);
    }

    private static VerificationResult<CmsSignatureInfo>? CheckAttributes(
        bool contentTypeOk,
        byte[]? messageDigest,
        HashAlgorithmName digestAlgorithm,
        ReadOnlySpan<byte> content,
        bool? essMatches,
        bool requireSigningCertificateAttribute)
    {
        // RFC 5652 §5.3: with signed attributes, content-type and message-digest are mandatory.
        if (!contentTypeOk)
        {
            return Fail(TrustFailure.SignedAttributeInvalid, "the content-type attribute is missing or is not id-data");
        }

        if (messageDigest is null)
        {
            return Fail(TrustFailure.SignedAttributeInvalid, "the message-digest attribute is missing");
        }

        Span<byte> actual = stackalloc byte[64];
        var written = CryptographicOperations.HashData(digestAlgorithm, content, actual);
        if (!CryptographicOperations.FixedTimeEquals(actual[..written], messageDigest))
        {
            return Fail(TrustFailure.DigestMismatch, "the signed message digest does not match the content");
        }

        if (essMatches == false)
        {
            return Fail(TrustFailure.SignedAttributeInvalid, "the signing-certificate attribute names a different certificate");
        }

        if (essMatches is null && requireSigningCertificateAttribute)
        {
            return Fail(TrustFailure.SignedAttributeInvalid, "the signing-certificate attribute is missing");
        }

        return null;
    }

    private VerificationResult<CmsSignatureInfo> ValidateSigner(
        X509Certificate2 signer,
        CertificatePurpose purpose,
        DateTimeOffset at,
        IEnumerable<X509Certificate2> candidates,
        HashAlgorithmName digestAlgorithm,
        DateTimeOffset? signingTime)
    {
        var chain = _validator.Validate(signer, purpose, at, candidates);
        return chain.IsValid
            ? VerificationResult<CmsSignatureInfo>.Ok(new CmsSignatureInfo(signer, chain.Value, digestAlgorithm, signingTime))
            : VerificationResult<CmsSignatureInfo>.Fail(chain.Failure.Value, chain.Message);
    }

    private static bool IsDirectlySupported(SignerParts signer) =>
        !signer.SignatureAlgorithmHasParameters
        && signer.SignatureAlgorithm is Oids.EcPublicKey or Oids.EcdsaWithSha256 or Oids.EcdsaWithSha384 or Oids.EcdsaWithSha512
            or Oids.Rsa or Oids.Sha256WithRsa or Oids.Sha384WithRsa or Oids.Sha512WithRsa;

    private static bool VerifySignatureValue(X509Certificate2 signer, SignerParts info, HashAlgorithmName digest, byte[] signedBytes)
    {
        // A specific algorithm (ecdsa-with-SHA384) names its hash; a bare key algorithm uses the digest algorithm.
        var hash = info.SignatureAlgorithm switch
        {
            Oids.EcdsaWithSha256 or Oids.Sha256WithRsa => HashAlgorithmName.SHA256,
            Oids.EcdsaWithSha384 or Oids.Sha384WithRsa => HashAlgorithmName.SHA384,
            Oids.EcdsaWithSha512 or Oids.Sha512WithRsa => HashAlgorithmName.SHA512,
            _ => digest,
        };
        try
        {
            if (info.SignatureAlgorithm is Oids.EcPublicKey or Oids.EcdsaWithSha256 or Oids.EcdsaWithSha384 or Oids.EcdsaWithSha512)
            {
                using var ec = signer.GetECDsaPublicKey();
                return ec is not null && ec.VerifyData(signedBytes, info.Signature, hash, DSASignatureFormat.Rfc3279DerSequence);
            }

            using var rsa = signer.GetRSAPublicKey();
            return rsa is not null && rsa.VerifyData(signedBytes, info.Signature, hash, RSASignaturePadding.Pkcs1);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    private static DateTimeOffset ReadTime(ReadOnlyMemory<byte> encoded)
    {
        // Time ::= CHOICE { utcTime UTCTime, generalTime GeneralizedTime } (RFC 5652 §11.3).
        var reader = new AsnReader(encoded, AsnEncodingRules.DER);
        return reader.PeekTag().HasSameClassAndValue(Asn1Tag.UtcTime) ? reader.ReadUtcTime() : reader.ReadGeneralizedTime();
    }

    private static X509Certificate2? FindSigner(SignerParts signer, IEnumerable<X509Certificate2> candidates)
    {
        foreach (var c in candidates)
        {
            if (signer.IssuerName is { } issuer && signer.SerialNumber is { } serial)
            {
                if (issuer.Span.SequenceEqual(c.IssuerName.RawData) && TrimLeadingZeros(serial.Span).SequenceEqual(TrimLeadingZeros(c.SerialNumberBytes.Span)))
                {
                    return c;
                }
            }
            else if (signer.SubjectKeyIdentifier is { } ski
                && c.Extensions.OfType<X509SubjectKeyIdentifierExtension>().FirstOrDefault() is { } ext
                && ext.SubjectKeyIdentifierBytes.Span.SequenceEqual(ski.Span))
            {
                return c;
            }
        }

        return null;
    }

    private static ReadOnlySpan<byte> TrimLeadingZeros(ReadOnlySpan<byte> value)
    {
        var i = 0;
        while (i < value.Length - 1 && value[i] == 0)
        {
            i++;
        }

        return value[i..];
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
