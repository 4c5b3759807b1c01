using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using ExchangeGateway.Common.Crypto.Cms;
using ExchangeGateway.Common.Crypto.X509;
using ExchangeGateway.Common.Results;

namespace ExchangeGateway.Common.Crypto.TimeStamping;

/// <summary>
/// Verifies RFC 3161 time-stamp tokens (with the RFC 5816 ESS signing-certificate-v2 profile). The
/// same code serves the message log, which stamps checkpoints, and the auditor's offline tool
/// (HOUSE-STYLE habit 16). Bad evidence is a <see cref="VerificationResult{T}"/>, never an exception.
/// Thread-safe and stateless; validated TSA chains are remembered by the <see cref="CertificateValidator"/>.
/// </summary>
public sealed class TimeStampVerifier
{
    private const int MaxStatusTextLength = 200;

    private readonly TimeProvider _time;

    /// <summary>Creates a verifier.</summary>
    /// <param name="time">
    /// The clock used to reject tokens dated in the future (beyond the validator's clock skew);
    /// the system clock by default.
    /// </param>
    public TimeStampVerifier(TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
    }

    /// <summary>
    /// Verifies a time-stamp over <paramref name="expectedHash"/>. Checks, each with its own
    /// <see cref="TrustFailure"/>: the response status (granted or grantedWithMods, else
    /// <see cref="TrustFailure.TimeStampRejected"/>); the token's structure
    /// (<see cref="TrustFailure.Malformed"/>); genTime not in the future beyond the clock skew; the
    /// imprint algorithm and value (<see cref="TrustFailure.WeakAlgorithm"/>,
    /// <see cref="TrustFailure.TimeStampHashMismatch"/>); the nonce; the signature algorithms; the
    /// ESS signing-certificate(-v2) attribute naming the signer
    /// (<see cref="TrustFailure.SignedAttributeInvalid"/>); the approved-TSA list; the signature
    /// (<see cref="TrustFailure.SignatureInvalid"/>); and the signer's chain, valid for
    /// <see cref="CertificatePurpose.TimeStamping"/> at genTime.
    /// </summary>
    /// <param name="tokenOrResponse">A DER <c>TimeStampToken</c> (CMS <c>ContentInfo</c>) or a whole <c>TimeStampResp</c>.</param>
    /// <param name="expectedHash">The digest the token must cover.</param>
    /// <param name="hashAlgorithm">The algorithm of <paramref name="expectedHash"/>; the token's imprint must use the same.</param>
    /// <param name="trust">Trust anchors and, optionally, the approved TSA certificates.</param>
    /// <param name="expectedNonce">The request's nonce (INTEGER content octets); empty to skip the check, e.g. when re-verifying stored evidence.</param>
    public VerificationResult<TimeStampInfo> Verify(
        ReadOnlyMemory<byte> tokenOrResponse,
        ReadOnlySpan<byte> expectedHash,
        HashAlgorithmName hashAlgorithm,
        TimeStampTrust trust,
        ReadOnlySpan<byte> expectedNonce = default)
    {
        ArgumentNullException.ThrowIfNull(trust);

        var extracted = ExtractToken(tokenOrResponse);
        if (!extracted.IsValid)
        {
            return VerificationResult<TimeStampInfo>.Fail(extracted.Failure.Value, extracted.Message);
        }

        var token = extracted.Value;

        // RFC 3161 §2.4.2: the token is a ContentInfo holding SignedData whose eContent is a DER TSTInfo.
        var cms = new SignedCms();
        try
        {
            cms.Decode(token.Span);
        }
        catch (CryptographicException ex)
        {
            return Fail(TrustFailure.Malformed, $"time-stamp token is not CMS SignedData: {ex.Message}");
        }

        if (cms.ContentInfo.ContentType.Value != Oids.TstInfo)
        {
            return Fail(TrustFailure.Malformed, $"time-stamp token content type is {cms.ContentInfo.ContentType.Value}, not id-ct-TSTInfo");
        }

        // §2.4.2: "The time-stamp token MUST NOT contain any signatures other than the signature of the TSA."
        var signers = cms.SignerInfos;
        if (signers.Count != 1)
        {
            return Fail(TrustFailure.Malformed, $"time-stamp token has {signers.Count} signers; exactly one (the TSA) is required");
        }

        var content = cms.ContentInfo.Content;
        if (content.Length == 0
            || !Rfc3161TimestampTokenInfo.TryDecode(content, out var info, out var consumed)
            || consumed != content.Length)
        {
            return Fail(TrustFailure.Malformed, "time-stamp token's TSTInfo does not decode");
        }

        if (info.Version != 1)
        {
            return Fail(TrustFailure.Malformed, $"TSTInfo version {info.Version} is not supported");
        }

        var genTime = info.Timestamp.ToUniversalTime();
        var skew = trust.Validator.ClockSkew;
        var now = _time.GetUtcNow();
        if (genTime > now + skew)
        {
            return Fail(TrustFailure.TimeStampFutureDated, $"time-stamp genTime {genTime:O} is more than {skew} after the local time {now:O}");
        }

        var imprint = CheckImprint(info, expectedHash, hashAlgorithm, out var imprintAlgorithm);
        if (!imprint.IsValid)
        {
            return VerificationResult<TimeStampInfo>.From(imprint);
        }

        var nonce = info.GetNonce();
        if (!expectedNonce.IsEmpty)
        {
            // §2.4.2: the nonce MUST be present and equal when the request had one. Compare as
            // integers: leading zero octets are not significant.
            if (nonce is null || !TrimLeadingZeros(nonce.Value.Span).SequenceEqual(TrimLeadingZeros(expectedNonce)))
            {
                return Fail(TrustFailure.TimeStampNonceMismatch, nonce is null
                    ? "time-stamp token has no nonce but the request had one"
                    : "time-stamp token's nonce is not the request's nonce");
            }
        }

        var signer = signers[0];
        var algorithms = CheckSignerAlgorithms(signer);
        if (!algorithms.IsValid)
        {
            return VerificationResult<TimeStampInfo>.From(algorithms);
        }

        var found = FindSignerCertificate(signer, trust);
        if (!found.IsValid)
        {
            return Fail(found.Failure.Value, found.Message);
        }

        var tsa = found.Value;
        try
        {
            // With the certificate pinned above, CheckSignature verifies the signature over the
            // signed attributes and the message-digest attribute over the TSTInfo (RFC 5652 §5.4).
            // SignerInfo uses the embedded certificate matching the SID when there is one, which
            // FindSignerCertificate has already required to be the one the ESS attribute names.
            signer.CheckSignature([tsa], verifySignatureOnly: true);
        }
        catch (CryptographicException ex)
        {
            return Fail(TrustFailure.SignatureInvalid, $"time-stamp signature by '{tsa.Subject}' does not verify: {ex.Message}");
        }

        var chain = trust.Validator.Validate(tsa, CertificatePurpose.TimeStamping, genTime, cms.Certificates);
        if (!chain.IsValid)
        {
            return VerificationResult<TimeStampInfo>.Fail(chain.Failure.Value, $"TSA certificate at genTime {genTime:O}: {chain.Message}");
        }

        return VerificationResult<TimeStampInfo>.Ok(new TimeStampInfo
        {
            GenTime = genTime,
            SerialNumber = info.GetSerialNumber().ToArray(),
            PolicyOid = info.PolicyId.Value ?? string.Empty,
            Accuracy = info.AccuracyInMicroseconds is { } micros ? TimeSpan.FromMicroseconds(micros) : null,
            TsaCertificate = tsa,
            HashAlgorithm = imprintAlgorithm,
            Nonce = nonce?.ToArray(),
        });
    }

    /// <summary>
    /// Returns the token from a <c>TimeStampResp</c> whose status is granted or grantedWithMods
    /// (RFC 3161 §2.4.2), or the input itself when it already is a token. Checks structure and
    /// status only, not the token.
    /// </summary>
    public static VerificationResult<ReadOnlyMemory<byte>> ExtractToken(ReadOnlyMemory<byte> tokenOrResponse)
    {
        try
        {
            var reader = new AsnReader(tokenOrResponse, AsnEncodingRules.BER);
            var outer = reader.ReadSequence();
            if (reader.HasData)
            {
                return VerificationResult<ReadOnlyMemory<byte>>.Fail(TrustFailure.Malformed, "trailing data after the time-stamp");
            }

            // ContentInfo starts with its contentType OID; TimeStampResp with the PKIStatusInfo SEQUENCE.
            var first = outer.PeekTag();
            if (first.HasSameClassAndValue(Asn1Tag.ObjectIdentifier))
            {
                return VerificationResult<ReadOnlyMemory<byte>>.Ok(tokenOrResponse);
            }

            var statusInfo = outer.ReadSequence();
            var status = statusInfo.TryReadInt32(out var s) ? s : -1;
            string? text = null;
            var failInfo = PkiFailureInfo.None;
            if (statusInfo.HasData && statusInfo.PeekTag().HasSameClassAndValue(Asn1Tag.Sequence))
            {
                // PKIFreeText ::= SEQUENCE SIZE (1..MAX) OF UTF8String
                var texts = statusInfo.ReadSequence();
                var parts = new List<string>();
                while (texts.HasData)
                {
                    parts.Add(texts.ReadCharacterString(UniversalTagNumber.UTF8String));
                }

                text = string.Join("; ", parts);
            }

            if (statusInfo.HasData)
            {
                failInfo = statusInfo.ReadNamedBitListValue<PkiFailureInfo>();
            }

            statusInfo.ThrowIfNotEmpty();

            if (status is not ((int)PkiStatus.Granted or (int)PkiStatus.GrantedWithMods))
            {
                var statusName = Enum.IsDefined((PkiStatus)status) ? ((PkiStatus)status).ToString() : status.ToString(System.Globalization.CultureInfo.InvariantCulture);
                var message = $"TSA answered status {statusName}, failInfo {failInfo}";
                if (!string.IsNullOrEmpty(text))
                {
                    message += $": {(text.Length > MaxStatusTextLength ? text[..MaxStatusTextLength] + "…" : text)}";
                }

                return VerificationResult<ReadOnlyMemory<byte>>.Fail(TrustFailure.TimeStampRejected, message);
            }

            if (!outer.HasData)
            {
                return VerificationResult<ReadOnlyMemory<byte>>.Fail(TrustFailure.Malformed, "TSA granted the request but sent no token");
            }

            var token = outer.ReadEncodedValue();
            outer.ThrowIfNotEmpty();
            return VerificationResult<ReadOnlyMemory<byte>>.Ok(token);
        }
        catch (AsnContentException ex)
        {
            return VerificationResult<ReadOnlyMemory<byte>>.Fail(TrustFailure.Malformed, $"time-stamp is not a DER TimeStampToken or TimeStampResp: {ex.Message}");
        }
    }

    private static VerificationResult CheckImprint(
        Rfc3161TimestampTokenInfo info,
        ReadOnlySpan<byte> expectedHash,
        HashAlgorithmName expectedAlgorithm,
        out HashAlgorithmName imprintAlgorithm)
    {
        var oid = info.HashAlgorithmId.Value;
        var allowed = CryptoPolicy.CheckDigestAlgorithm(oid, "time-stamp message imprint");
        if (!allowed.IsValid)
        {
            imprintAlgorithm = default;
            return allowed;
        }

        CryptoPolicy.TryGetHashAlgorithm(oid, out imprintAlgorithm);
        if (imprintAlgorithm != expectedAlgorithm)
        {
            return VerificationResult.Fail(
                TrustFailure.TimeStampHashMismatch,
                $"time-stamp imprint uses {imprintAlgorithm.Name}, expected {expectedAlgorithm.Name}");
        }

        return CryptographicOperations.FixedTimeEquals(info.GetMessageHash().Span, expectedHash)
            ? VerificationResult.Ok
            : VerificationResult.Fail(TrustFailure.TimeStampHashMismatch, "time-stamp message imprint is not the expected hash");
    }

    private static VerificationResult CheckSignerAlgorithms(SignerInfo signer)
    {
        var digest = CryptoPolicy.CheckDigestAlgorithm(signer.DigestAlgorithm.Value, "time-stamp signer");
        if (!digest.IsValid)
        {
            return digest;
        }

        // CMS signers commonly name only the key algorithm (rsaEncryption, id-ecPublicKey) and leave
        // the digest to digestAlgorithm (RFC 3370 §3.2, RFC 5753 §7.1.3), which was checked above.
        var signature = signer.SignatureAlgorithm.Value;
        return signature is Oids.Rsa or Oids.EcPublicKey
            ? VerificationResult.Ok
            : CryptoPolicy.CheckSignatureAlgorithm(signature, "time-stamp signer");
    }

    private static VerificationResult<X509Certificate2> FindSignerCertificate(SignerInfo signer, TimeStampTrust trust)
    {
        // RFC 3161 §2.4.2 requires the ESSCertID of the TSA certificate in a SigningCertificate
        // attribute; RFC 5816 §2.2.1 allows SigningCertificateV2 instead. It binds the signature to one
        // certificate, so a TSA cannot be impersonated by another certificate with the same key or SID.
        EssCertificateId? v1 = null;
        EssCertificateId? v2 = null;
        var hasContentType = false;
        foreach (var attribute in signer.SignedAttributes)
        {
            var oid = attribute.Oid.Value;
            if (oid is not (Oids.SigningCertificate or Oids.SigningCertificateV2 or Oids.ContentType))
            {
                continue;
            }

            if (attribute.Values.Count != 1)
            {
                return FailCert(TrustFailure.SignedAttributeInvalid, $"signed attribute {oid} must have exactly one value");
            }

            var value = attribute.Values[0].RawData;
            if (oid == Oids.ContentType)
            {
                // RFC 5652 §11.1: the content-type attribute must equal eContentType (id-ct-TSTInfo).
                hasContentType = IsTstInfoContentType(value);
                if (!hasContentType)
                {
                    return FailCert(TrustFailure.SignedAttributeInvalid, "content-type attribute is not id-ct-TSTInfo");
                }

                continue;
            }

            var isV2 = oid == Oids.SigningCertificateV2;
            var id = EssCertificateId.Read(value, isV2);
            if (!id.IsValid)
            {
                return FailCert(id.Failure.Value, id.Message);
            }

            if (isV2)
            {
                v2 = id.Value;
            }
            else
            {
                v1 = id.Value;
            }
        }

        if (!hasContentType)
        {
            return FailCert(TrustFailure.SignedAttributeInvalid, "time-stamp signer has no content-type attribute");
        }

        if (v1 is null && v2 is null)
        {
            return FailCert(TrustFailure.SignedAttributeInvalid, "time-stamp signer has no ESS signing-certificate(-v2) attribute");
        }

        bool Named(X509Certificate2 c) => (v2 is null || v2.Matches(c)) && (v1 is null || v1.Matches(c));

        var approved = trust.ApprovedTsaCertificates;
        X509Certificate2? certificate;
        var embedded = signer.Certificate;
        if (embedded is not null)
        {
            if (!Named(embedded))
            {
                return FailCert(TrustFailure.SignedAttributeInvalid, $"ESS signing-certificate attribute does not name the signer certificate '{embedded.Subject}'");
            }

            certificate = embedded;
        }
        else
        {
            // certReq was false (§2.4.1): the TSA left its certificate out, so look among the approved ones.
            certificate = approved?.FirstOrDefault(Named);
            if (certificate is null)
            {
                return approved is null
                    ? FailCert(TrustFailure.UntrustedCertificate, "time-stamp token carries no signer certificate and no TSA certificates are known")
                    : FailCert(TrustFailure.TimeStampTsaNotApproved, "time-stamp signer is none of the approved TSAs");
            }
        }

        if (approved is not null && !approved.Any(a => a.RawDataMemory.Span.SequenceEqual(certificate.RawDataMemory.Span)))
        {
            return FailCert(TrustFailure.TimeStampTsaNotApproved, $"TSA certificate '{certificate.Subject}' is not an approved TSA");
        }

        return VerificationResult<X509Certificate2>.Ok(certificate);
    }

    private static bool IsTstInfoContentType(byte[] value)
    {
        try
        {
            var reader = new AsnReader(value, AsnEncodingRules.DER);
            var oid = reader.ReadObjectIdentifier();
            return !reader.HasData && oid == Oids.TstInfo;
        }
        catch (AsnContentException)
        {
            return false;
        }
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

    private static VerificationResult<TimeStampInfo> Fail(TrustFailure failure, string message) =>
        VerificationResult<TimeStampInfo>.Fail(failure, message);

    private static VerificationResult<X509Certificate2> FailCert(TrustFailure failure, string message) =>
        VerificationResult<X509Certificate2>.Fail(failure, message);

}
