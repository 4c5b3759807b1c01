using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ExchangeGateway.Common.Crypto.X509;
using ExchangeGateway.Common.Results;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Pkcs;

namespace ExchangeGateway.Common.Crypto.Ocsp;

/// <summary>
/// Verifies an OCSP response (RFC 6960) for one certificate. Stateless and thread-safe: the security
/// server, the signer and the offline auditor share it. The response is parsed with BouncyCastle and
/// its signature verified with .NET (ten times faster than BouncyCastle, PERFORMANCE.md).
/// <para>
/// Checks, in order, each with its own <see cref="TrustFailure"/>: response status, response type,
/// signature algorithm, responder authorisation (§4.2.2.2), signature, CertID, time window, nonce, and
/// finally the certificate status.
/// </para>
/// </summary>
public static class OcspResponseVerifier
{
    /// <summary>Responses above this many bytes are rejected as malformed without parsing.</summary>
    public const int MaxResponseLength = OcspResponseReader.MaxResponseLength;

    /// <summary>Verifies <paramref name="response"/> as a statement about <paramref name="certificate"/>.</summary>
    /// <param name="response">DER OCSPResponse, untrusted.</param>
    /// <param name="certificate">The certificate whose status is wanted.</param>
    /// <param name="issuer">The CA that issued <paramref name="certificate"/> (already validated by the caller).</param>
    /// <param name="validationTime">Now, from the caller's <see cref="TimeProvider"/>, or the time of the evidence for an auditor.</param>
    /// <param name="options">Freshness, skew, nonce and trusted responders; <see cref="OcspVerificationOptions.Default"/> when null.</param>
    /// <returns>The parsed status when the certificate is good; otherwise the first failed check.</returns>
    public static VerificationResult<OcspStatus> Verify(
        byte[] response,
        X509Certificate2 certificate,
        X509Certificate2 issuer,
        DateTimeOffset validationTime,
        OcspVerificationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(issuer);
        options ??= OcspVerificationOptions.Default;
        options.Validate();

        if (!OcspResponseReader.TryRead(response, out var parsed, out var error))
        {
            return Fail(TrustFailure.Malformed, error);
        }

        // RFC 6960 §4.2.1: any status but successful carries no certificate information.
        if (parsed.ResponseStatus != OcspResponseStatus.Successful)
        {
            return Fail(TrustFailure.OcspResponseUnsuccessful, $"the OCSP responder answered {Describe(parsed.ResponseStatus)}");
        }

        // RFC 6960 §4.2.1: id-pkix-ocsp-basic is the one type a conforming responder must support.
        if (parsed.ResponseType != Oids.OcspBasic)
        {
            return Fail(TrustFailure.Malformed, $"the OCSP response type {parsed.ResponseType ?? "(none)"} is not id-pkix-ocsp-basic");
        }

        var algorithm = CryptoPolicy.CheckSignatureAlgorithm(parsed.SignatureAlgorithmOid, "OCSP response");
        if (!algorithm.IsValid)
        {
            return VerificationResult<OcspStatus>.From(algorithm);
        }

        var embedded = new List<X509Certificate2>();
        try
        {
            var signer = FindAuthorisedSigner(parsed, issuer, validationTime, options, embedded);
            if (!signer.IsValid)
            {
                return VerificationResult<OcspStatus>.From(signer.ToResult());
            }

            var signature = VerifySignature(parsed, signer.Value);
            if (!signature.IsValid)
            {
                return VerificationResult<OcspStatus>.From(signature);
            }

            return CheckContent(parsed, certificate, issuer, validationTime, options, signer.Value.Subject);
        }
        finally
        {
            foreach (var c in embedded)
            {
                c.Dispose();
            }
        }
    }

    /// <summary>
    /// Reads a response for display (an operator's status page, the auditor's report) without verifying
    /// anything: nothing in the result is trustworthy.
    /// </summary>
    public static ParseResult<OcspResponseInfo> Parse(byte[] response)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (!OcspResponseReader.TryRead(response, out var parsed, out var error))
        {
            return ParseResult<OcspResponseInfo>.Fail(TrustFailure.Malformed.ToCode(), error);
        }

        var certificates = new List<string>();
        foreach (var der in parsed.Certificates)
        {
            try
            {
                using var cert = X509CertificateLoader.LoadCertificate(der);
                certificates.Add(cert.Subject);
            }
            catch (CryptographicException)
            {
                certificates.Add("(malformed certificate)");
            }
        }

        var responder = parsed.ResponderName is { } name
            ? "byName: " + new X500DistinguishedName(name).Name
            : parsed.ResponderKeyHash is { } keyHash ? "byKey: " + Convert.ToHexString(keyHash) : null;

        return ParseResult<OcspResponseInfo>.Ok(new OcspResponseInfo(
            parsed.ResponseStatus,
            parsed.ResponseType,
            parsed.ResponseStatus == OcspResponseStatus.Successful && parsed.ResponseType == Oids.OcspBasic ? parsed.ProducedAt : null,
            responder,
            parsed.ResponseType == Oids.OcspBasic ? parsed.SignatureAlgorithmOid : null,
            parsed.Responses.Select(r => new OcspSingleResponseInfo(
                r.CertificateId,
                r.Status,
                r.ThisUpdate,
                r.NextUpdate,
                r.RevocationTime,
                r.RevocationReason)).ToList(),
            parsed.Nonce is { } nonce ? new ReadOnlyMemory<byte>(nonce) : null,
            certificates));
    }

    private static VerificationResult<X509Certificate2> FindAuthorisedSigner(
        ParsedOcspResponse parsed,
        X509Certificate2 issuer,
        DateTimeOffset at,
        OcspVerificationOptions options,
        List<X509Certificate2> embedded)
    {
        // RFC 6960 §4.2.2.2, first case: the CA that issued the certificate signs the response itself.
        if (MatchesResponderId(parsed, issuer))
        {
            return VerificationResult<X509Certificate2>.Ok(issuer);
        }

        // Second case: a Trusted Responder named in global configuration.
        foreach (var trusted in options.TrustedResponders)
        {
            if (MatchesResponderId(parsed, trusted))
            {
                var notBefore = new DateTimeOffset(trusted.NotBefore.ToUniversalTime(), TimeSpan.Zero);
                var notAfter = new DateTimeOffset(trusted.NotAfter.ToUniversalTime(), TimeSpan.Zero);
                if (notBefore > at + options.ClockSkew || notAfter < at)
                {
                    return Unauthorised($"the trusted OCSP responder '{trusted.Subject}' is not valid at {at:O}");
                }

                return VerificationResult<X509Certificate2>.Ok(trusted);
            }
        }

        // Third case: a CA Designated Responder, whose certificate travels in the response.
        foreach (var der in parsed.Certificates)
        {
            X509Certificate2 candidate;
            try
            {
                candidate = options.Certificates?.GetOrLoad(der) ?? X509CertificateLoader.LoadCertificate(der);
            }
            catch (CryptographicException ex)
            {
                return Fail<X509Certificate2>(TrustFailure.Malformed, $"a certificate in the OCSP response is malformed: {ex.Message}");
            }

            // Certificates from the shared cache outlive this call; only our own copies are disposed.
            if (options.Certificates is null)
            {
                embedded.Add(candidate);
            }
            if (MatchesResponderId(parsed, candidate))
            {
                return CheckDelegatedResponder(candidate, issuer, at, options);
            }
        }

        return Unauthorised($"the OCSP response is signed by {DescribeResponderId(parsed)}, which is neither the issuing CA '{issuer.Subject}', a trusted responder, nor a certificate included in the response");
    }

    private static VerificationResult<X509Certificate2> CheckDelegatedResponder(
        X509Certificate2 responder,
        X509Certificate2 issuer,
        DateTimeOffset at,
        OcspVerificationOptions options)
    {
        // RFC 6960 §4.2.2.2: the delegated certificate must be issued directly by the CA that issued the
        // certificate in question and carry id-kp-OCSPSigning. The CA is the only anchor that matters
        // here, so the one link is checked directly rather than by X509Chain (which on Linux will not
        // anchor at a CA that is not self-signed). Its own revocation is not checked: the dev CA marks
        // responders id-pkix-ocsp-nocheck (§4.2.2.2.1), and short-lived responder certificates are the
        // federation's policy.
        var where = $"the delegated OCSP responder '{responder.Subject}'";
        if (!responder.IssuerName.RawData.AsSpan().SequenceEqual(issuer.SubjectName.RawData))
        {
            return Unauthorised($"{where} is issued by '{responder.Issuer}', not by '{issuer.Subject}'");
        }

        var algorithm = CryptoPolicy.CheckSignatureAlgorithm(responder.SignatureAlgorithm.Value, where);
        if (!algorithm.IsValid)
        {
            return Unauthorised($"{where} is not acceptable: {algorithm.Message}");
        }

        if (!VerifyCertificateSignature(responder, issuer))
        {
            return Unauthorised($"{where} is not signed by '{issuer.Subject}'");
        }

        var notBefore = new DateTimeOffset(responder.NotBefore.ToUniversalTime(), TimeSpan.Zero);
        var notAfter = new DateTimeOffset(responder.NotAfter.ToUniversalTime(), TimeSpan.Zero);
        if (notAfter < at)
        {
            return Unauthorised($"{where} expired at {notAfter:O} (certificate_expired)");
        }

        if (notBefore > at + options.ClockSkew)
        {
            return Unauthorised($"{where} is not valid before {notBefore:O} (certificate_not_yet_valid)");
        }

        var purpose = CertificateValidator.CheckPurpose(responder, CertificatePurpose.OcspSigning);
        if (!purpose.IsValid)
        {
            return Unauthorised($"{where} is not authorised by '{issuer.Subject}': {purpose.Message}");
        }

        return VerificationResult<X509Certificate2>.Ok(responder);
    }

    private static bool VerifyCertificateSignature(X509Certificate2 certificate, X509Certificate2 issuer)
    {
        // Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm AlgorithmIdentifier, signatureValue BIT STRING } (RFC 5280 §4.1).
        try
        {
            var reader = new AsnReader(certificate.RawDataMemory, AsnEncodingRules.DER).ReadSequence();
            var tbs = reader.ReadEncodedValue().ToArray();
            var algorithm = reader.ReadSequence();
            var oid = algorithm.ReadObjectIdentifier();
            var parameters = algorithm.HasData ? algorithm.ReadEncodedValue().ToArray() : null;
            var signature = reader.ReadBitString(out _);
            return VerifySignatureValue(tbs, oid, parameters, signature, issuer);
        }
        catch (AsnContentException)
        {
            return false;
        }
    }

    private static bool MatchesResponderId(ParsedOcspResponse parsed, X509Certificate2 candidate)
    {
        if (parsed.ResponderKeyHash is { } keyHash)
        {
            // RFC 6960 §4.2.1: KeyHash is the SHA-1 hash of the responder's subjectPublicKey BIT STRING
            // value. SHA-1 is fixed by the RFC and used only as an identifier here.
            Span<byte> hash = stackalloc byte[20];
            CryptographicOperations.HashData(HashAlgorithmName.SHA1, candidate.PublicKey.EncodedKeyValue.RawData, hash);
            return CryptographicOperations.FixedTimeEquals(hash, keyHash);
        }

        if (parsed.ResponderName is { } name)
        {
            if (name.AsSpan().SequenceEqual(candidate.SubjectName.RawData))
            {
                return true;
            }

            // Different encodings of the same name (e.g. PrintableString vs UTF8String) still match
            // under RFC 5280 §7.1 comparison rules, which BouncyCastle implements.
            try
            {
                return Org.BouncyCastle.Asn1.X509.X509Name.GetInstance(Asn1Object.FromByteArray(name))
                    .Equivalent(Org.BouncyCastle.Asn1.X509.X509Name.GetInstance(Asn1Object.FromByteArray(candidate.SubjectName.RawData)));
            }
            catch (Exception ex) when (ex is IOException or ArgumentException or InvalidCastException)
            {
                return false;
            }
        }

        return false;
    }

    private static VerificationResult VerifySignature(ParsedOcspResponse parsed, X509Certificate2 signer)
    {
        var key = CryptoPolicy.CheckPublicKey(signer, $"OCSP responder '{signer.Subject}'");
        if (!key.IsValid)
        {
            return key;
        }

        var ok = VerifySignatureValue(parsed.TbsResponseData, parsed.SignatureAlgorithmOid, parsed.SignatureAlgorithmParameters, parsed.Signature, signer);
        return ok
            ? VerificationResult.Ok
            : VerificationResult.Fail(TrustFailure.SignatureInvalid, $"the OCSP response signature does not verify with the key of '{signer.Subject}'");
    }

    private static bool VerifySignatureValue(byte[] data, string algorithmOid, byte[]? parameters, byte[] signature, X509Certificate2 signer)
    {
        try
        {
            return algorithmOid switch
            {
                Oids.EcdsaWithSha256 => VerifyEcdsa(data, signature, signer, HashAlgorithmName.SHA256),
                Oids.EcdsaWithSha384 => VerifyEcdsa(data, signature, signer, HashAlgorithmName.SHA384),
                Oids.EcdsaWithSha512 => VerifyEcdsa(data, signature, signer, HashAlgorithmName.SHA512),
                Oids.Sha256WithRsa => VerifyRsa(data, signature, signer, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
                Oids.Sha384WithRsa => VerifyRsa(data, signature, signer, HashAlgorithmName.SHA384, RSASignaturePadding.Pkcs1),
                Oids.Sha512WithRsa => VerifyRsa(data, signature, signer, HashAlgorithmName.SHA512, RSASignaturePadding.Pkcs1),
                Oids.RsaPss => VerifyRsaPss(data, parameters, signature, signer),
                _ => false,
            };
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException or InvalidCastException or IOException)
        {
            // A signature or PSS parameter block that does not even decode is simply a bad signature.
            return false;
        }
    }

    private static bool VerifyEcdsa(byte[] data, byte[] signature, X509Certificate2 signer, HashAlgorithmName hash)
    {
        using var ec = signer.GetECDsaPublicKey();

        // X.509-style ECDSA signatures are DER SEQUENCE { r, s } (RFC 3279 §2.2.3).
        return ec is not null && ec.VerifyData(data, signature, hash, DSASignatureFormat.Rfc3279DerSequence);
    }

    private static bool VerifyRsa(byte[] data, byte[] signature, X509Certificate2 signer, HashAlgorithmName hash, RSASignaturePadding padding)
    {
        using var rsa = signer.GetRSAPublicKey();
        return rsa is not null && rsa.VerifyData(data, signature, hash, padding);
    }

    private static bool VerifyRsaPss(byte[] data, byte[]? parameters, byte[] signature, X509Certificate2 signer)
    {
        // RFC 4055 §3.1: .NET's PSS uses MGF1 with the message hash and a salt as long as the hash, so
        // only parameters saying exactly that are accepted.
        if (parameters is null)
        {
            return false;
        }

        var pss = RsassaPssParameters.GetInstance(Asn1Object.FromByteArray(parameters));
        var hashOid = pss.HashAlgorithm.Algorithm.Id;
        if (!CryptoPolicy.TryGetHashAlgorithm(hashOid, out var hash))
        {
            return false;
        }

        var mgfHash = Org.BouncyCastle.Asn1.X509.AlgorithmIdentifier.GetInstance(pss.MaskGenAlgorithm.Parameters);
        var hashLength = hash == HashAlgorithmName.SHA256 ? 32 : hash == HashAlgorithmName.SHA384 ? 48 : 64;
        if (pss.MaskGenAlgorithm.Algorithm.Id != PkcsObjectIdentifiers.IdMgf1.Id
            || mgfHash.Algorithm.Id != hashOid
            || pss.SaltLength.Value.IntValue != hashLength
            || pss.TrailerField.Value.IntValue != 1)
        {
            return false;
        }

        return VerifyRsa(data, signature, signer, hash, RSASignaturePadding.Pss);
    }

    private static VerificationResult<OcspStatus> CheckContent(
        ParsedOcspResponse parsed,
        X509Certificate2 certificate,
        X509Certificate2 issuer,
        DateTimeOffset at,
        OcspVerificationOptions options,
        string responderSubject)
    {
        // RFC 6960 §3.2 step 1: the response must be about the certificate we asked for. The CertID's own
        // hash algorithm is used, so SHA-1 CertIDs (OpenSSL's default) match as well as SHA-256 ones.
        ParsedSingleResponse? single = null;
        foreach (var candidate in parsed.Responses)
        {
            if (candidate.CertificateId.Matches(certificate, issuer))
            {
                single = candidate;
                break;
            }
        }

        var serial = Convert.ToHexString(certificate.SerialNumberBytes.Span);
        if (single is null)
        {
            var what = parsed.Responses.Count == 0
                ? "contains no SingleResponse"
                : $"has no SingleResponse for serial {serial} of '{issuer.Subject}' (it answers for {string.Join(", ", parsed.Responses.Select(r => r.CertificateId.SerialNumberHex))})";
            return Fail(TrustFailure.OcspWrongCertificate, "the OCSP response " + what);
        }

        // RFC 6960 §3.2 steps 5 and 6 and §4.2.2.1: thisUpdate sufficiently recent, nextUpdate not passed.
        if (single.ThisUpdate > at + options.ClockSkew)
        {
            return Fail(TrustFailure.OcspFutureDated, $"the OCSP response's thisUpdate {single.ThisUpdate:O} is later than {at:O} plus the allowed skew {options.ClockSkew}");
        }

        if (at - single.ThisUpdate > options.FreshnessLimit)
        {
            return Fail(TrustFailure.OcspStale, $"the OCSP response's thisUpdate {single.ThisUpdate:O} is older than the freshness limit {options.FreshnessLimit} at {at:O}");
        }

        if (single.NextUpdate is { } next && next < at - options.ClockSkew)
        {
            return Fail(TrustFailure.OcspExpired, $"the OCSP response's nextUpdate {next:O} has passed at {at:O}");
        }

        // RFC 6960 §4.4.1 / RFC 8954: a nonce binds the response to our request, defeating replay.
        if (!options.ExpectedNonce.IsEmpty)
        {
            if (parsed.Nonce is null)
            {
                return Fail(TrustFailure.OcspNonceMismatch, "the OCSP response carries no nonce, but the request sent one");
            }

            if (!CryptographicOperations.FixedTimeEquals(parsed.Nonce, options.ExpectedNonce.Span))
            {
                return Fail(TrustFailure.OcspNonceMismatch, "the OCSP response's nonce differs from the request's");
            }
        }

        var status = new OcspStatus(
            single.Status,
            single.ThisUpdate,
            single.NextUpdate,
            parsed.ProducedAt,
            single.RevocationTime,
            single.RevocationReason,
            responderSubject);

        return single.Status switch
        {
            OcspCertificateStatus.Good => VerificationResult<OcspStatus>.Ok(status),
            OcspCertificateStatus.Revoked => Fail(
                TrustFailure.CertificateRevoked,
                $"certificate '{certificate.Subject}' (serial {serial}) was revoked at {single.RevocationTime:O}"
                + (single.RevocationReason is { } reason ? $", reason {reason}" : "")),
            _ => Fail(TrustFailure.CertificateStatusUnknown, $"the OCSP responder does not know certificate '{certificate.Subject}' (serial {serial})"),
        };
    }

    private static string DescribeResponderId(ParsedOcspResponse parsed) =>
        parsed.ResponderName is { } name
            ? $"'{new X500DistinguishedName(name).Name}'"
            : $"the key with SHA-1 hash {Convert.ToHexString(parsed.ResponderKeyHash ?? [])}";

    private static string Describe(OcspResponseStatus status) => status switch
    {
        OcspResponseStatus.MalformedRequest => "malformedRequest",
        OcspResponseStatus.InternalError => "internalError",
        OcspResponseStatus.TryLater => "tryLater",
        OcspResponseStatus.SigRequired => "sigRequired",
        OcspResponseStatus.Unauthorized => "unauthorized",
        _ => $"status {(int)status}",
    };

    private static VerificationResult<X509Certificate2> Unauthorised(string message) =>
        Fail<X509Certificate2>(TrustFailure.OcspUnauthorisedResponder, message);

    private static VerificationResult<OcspStatus> Fail(TrustFailure failure, string message) =>
        VerificationResult<OcspStatus>.Fail(failure, message);

    private static VerificationResult<T> Fail<T>(TrustFailure failure, string message)
        where T : notnull =>
        VerificationResult<T>.Fail(failure, message);
}
