using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using ExchangeGateway.Common.Crypto;
using ExchangeGateway.Common.Crypto.TimeStamping;
using ExchangeGateway.Common.Results;
using ExchangeGateway.Testing.Pki;
using ExchangeGateway.Testing.Time;
using ExchangeGateway.TrustServices.Ca;
using ExchangeGateway.TrustServices.Tsa;

namespace ExchangeGateway.Common.Tests.Crypto.TimeStamping;

public sealed class TimeStampVerifierTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly byte[] Hash = SHA256.HashData("checkpoint 42"u8);

    private readonly ManualTimeProvider _time = new(Start);
    private readonly TestPki _pki;
    private readonly TimeStampAuthority _tsa;
    private readonly TimeStampVerifier _verifier;
    private readonly TimeStampTrust _trust;

    public TimeStampVerifierTests()
    {
        _pki = TestPki.Create(_time);
        _tsa = new TimeStampAuthority(_pki.Tsa, _time);
        _verifier = new TimeStampVerifier(_time);
        _trust = new TimeStampTrust(_pki.CreateValidator(TimeSpan.FromMinutes(5)));
    }

    public void Dispose() => _pki.Dispose();

    [Fact]
    public void Verify_ResponseFromOurTsa_IsValidWithTstInfoFields()
    {
        var (request, response) = Stamp(_tsa, Hash);

        var result = _verifier.Verify(response, Hash, HashAlgorithmName.SHA256, _trust, request.GetNonce()!.Value.Span);

        Assert.True(result.IsValid, result.ToString());
        var info = result.Value;
        Assert.Equal(Start, info.GenTime);
        Assert.Equal(TimeStampAuthorityOptions.DevelopmentPolicyOid, info.PolicyOid);
        Assert.Equal(TimeSpan.FromSeconds(1), info.Accuracy);
        Assert.Equal(HashAlgorithmName.SHA256, info.HashAlgorithm);
        Assert.Equal(_pki.Tsa.Thumbprint, info.TsaCertificate.Thumbprint);
        Assert.Equal(16, info.SerialNumber.Length);
        Assert.Equal(request.GetNonce()!.Value.ToArray(), info.Nonce!.Value.ToArray());
    }

    [Fact]
    public void Verify_BareTokenExtractedFromResponse_IsValid()
    {
        var (_, response) = Stamp(_tsa, Hash);
        var token = TimeStampVerifier.ExtractToken(response);
        Assert.True(token.IsValid, token.ToString());

        var result = _verifier.Verify(token.Value, Hash, HashAlgorithmName.SHA256, _trust);

        Assert.True(result.IsValid, result.ToString());
    }

    [Theory]
    [InlineData("SHA384")]
    [InlineData("SHA512")]
    public void Verify_LongerImprintAlgorithms_AreValid(string algorithm)
    {
        var name = new HashAlgorithmName(algorithm);
        var hash = algorithm == "SHA384" ? SHA384.HashData("x"u8) : SHA512.HashData("x"u8);
        var (_, response) = Stamp(_tsa, hash, name);

        Assert.True(_verifier.Verify(response, hash, name, _trust).IsValid);
    }

    [Fact]
    public void Verify_RsaTsa_IsValid()
    {
        var cert = _pki.Issue("CN=RSA TSA", CertificateProfile.TimeStamping, KeyKind.Rsa2048);
        var (_, response) = Stamp(new TimeStampAuthority(cert, _time), Hash);

        var result = _verifier.Verify(response, Hash, HashAlgorithmName.SHA256, _trust);

        Assert.True(result.IsValid, result.ToString());
    }

    [Fact]
    public void Verify_TokenOverWrongHash_FailsWithHashMismatch()
    {
        var (_, response) = Stamp(_tsa, Hash);

        var result = _verifier.Verify(response, SHA256.HashData("another"u8), HashAlgorithmName.SHA256, _trust);

        Assert.Equal(TrustFailure.TimeStampHashMismatch, result.Failure);
    }

    [Fact]
    public void Verify_ImprintAlgorithmNotTheExpectedOne_FailsWithHashMismatch()
    {
        var hash = SHA384.HashData("x"u8);
        var (_, response) = Stamp(_tsa, hash, HashAlgorithmName.SHA384);

        var result = _verifier.Verify(response, hash.AsSpan(0, 32), HashAlgorithmName.SHA256, _trust);

        Assert.Equal(TrustFailure.TimeStampHashMismatch, result.Failure);
        Assert.Contains("SHA384", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_WrongNonce_FailsWithNonceMismatch()
    {
        var (_, response) = Stamp(_tsa, Hash);

        var result = _verifier.Verify(response, Hash, HashAlgorithmName.SHA256, _trust, [0x01, 0x02, 0x03]);

        Assert.Equal(TrustFailure.TimeStampNonceMismatch, result.Failure);
    }

    [Fact]
    public void Verify_NonceExpectedButTokenHasNone_FailsWithNonceMismatch()
    {
        var token = TokenForge.Sign(TokenForge.TstInfo(Oids.Sha256, Hash, Start), _pki.Tsa, _pki.Tsa);

        var result = _verifier.Verify(token, Hash, HashAlgorithmName.SHA256, _trust, [0x42]);

        Assert.Equal(TrustFailure.TimeStampNonceMismatch, result.Failure);
    }

    [Fact]
    public void Verify_TokenSignedWithMemberSigningCertificate_FailsWithWrongKeyUsage()
    {
        var signing = _pki.IssueSigning("EE", "GOV", "70000001");
        var (_, response) = Stamp(new TimeStampAuthority(signing, _time), Hash);

        var result = _verifier.Verify(response, Hash, HashAlgorithmName.SHA256, _trust);

        Assert.Equal(TrustFailure.WrongKeyUsage, result.Failure);
        Assert.Contains("id-kp-timeStamping", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_TsaFromUnknownCa_FailsAsUntrusted()
    {
        using var other = TestPki.Create(_time, "Other");
        var (_, response) = Stamp(new TimeStampAuthority(other.Tsa, _time), Hash);

        var result = _verifier.Verify(response, Hash, HashAlgorithmName.SHA256, _trust);

        Assert.Equal(TrustFailure.UntrustedCertificate, result.Failure);
    }

    [Fact]
    public void Verify_TsaCertificateExpiredAtGenTime_FailsWithCertificateExpired()
    {
        var expired = _pki.Issue("CN=Old TSA", CertificateProfile.TimeStamping, options: new IssueOptions { NotBefore = Start.AddDays(-30), NotAfter = Start.AddDays(-1) });
        var (_, response) = Stamp(new TimeStampAuthority(expired, _time), Hash);

        var result = _verifier.Verify(response, Hash, HashAlgorithmName.SHA256, _trust);

        Assert.Equal(TrustFailure.CertificateExpired, result.Failure);
    }

    [Fact]
    public void Verify_CachedChainThenGenTimeAfterExpiry_StillFailsWithCertificateExpired()
    {
        var cert = _pki.Issue("CN=Short TSA", CertificateProfile.TimeStamping, options: new IssueOptions { NotBefore = Start.AddDays(-1), NotAfter = Start.AddDays(1) });
        var tsa = new TimeStampAuthority(cert, _time);
        Assert.True(_verifier.Verify(Stamp(tsa, Hash).Response, Hash, HashAlgorithmName.SHA256, _trust).IsValid);

        _time.Advance(TimeSpan.FromDays(2));
        var result = _verifier.Verify(Stamp(tsa, Hash).Response, Hash, HashAlgorithmName.SHA256, _trust);

        Assert.Equal(TrustFailure.CertificateExpired, result.Failure);
    }

    [Fact]
    public void Verify_SignatureByteFlipped_FailsWithSignatureInvalid()
    {
        var token = ExtractToken(Stamp(_tsa, Hash).Response);
        token[^1] ^= 0x01;

        var result = _verifier.Verify(token, Hash, HashAlgorithmName.SHA256, _trust);

        Assert.Equal(TrustFailure.SignatureInvalid, result.Failure);
    }

    [Fact]
    public void Verify_TstInfoSerialByteFlipped_FailsWithSignatureInvalid()
    {
        var (_, response) = Stamp(_tsa, Hash);
        var token = ExtractToken(response);
        var serial = _verifier.Verify(token, Hash, HashAlgorithmName.SHA256, _trust).Value!.SerialNumber.ToArray();
        var at = token.AsSpan().IndexOf(serial);
        Assert.True(at > 0);
        token[at + 5] ^= 0x01;

        var result = _verifier.Verify(token, Hash, HashAlgorithmName.SHA256, _trust);

        Assert.Equal(TrustFailure.SignatureInvalid, result.Failure);
    }

    [Fact]
    public void Verify_TruncatedToken_FailsAsMalformed()
    {
        var token = ExtractToken(Stamp(_tsa, Hash).Response);

        var result = _verifier.Verify(token.AsMemory(0, token.Length - 10), Hash, HashAlgorithmName.SHA256, _trust);

        Assert.Equal(TrustFailure.Malformed, result.Failure);
    }

    [Fact]
    public void Verify_Garbage_FailsAsMalformed()
    {
        var result = _verifier.Verify(new byte[] { 0x30, 0x03, 0x02, 0x01 }, Hash, HashAlgorithmName.SHA256, _trust);

        Assert.Equal(TrustFailure.Malformed, result.Failure);
    }

    [Fact]
    public void Verify_RejectionResponse_FailsWithTimeStampRejectedNamingFailInfo()
    {
        var request = Rfc3161TimestampRequest.CreateFromHash(SHA1.HashData("x"u8), HashAlgorithmName.SHA1, requestSignerCertificates: true);
        var response = _tsa.Respond(request.Encode());

        var result = _verifier.Verify(response, Hash, HashAlgorithmName.SHA256, _trust);

        Assert.Equal(TrustFailure.TimeStampRejected, result.Failure);
        Assert.Contains("Rejection", result.Message, StringComparison.Ordinal);
        Assert.Contains("BadAlg", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_Sha1ImprintToken_FailsWithWeakAlgorithm()
    {
        var sha1 = SHA1.HashData("x"u8);
        var token = TokenForge.Sign(TokenForge.TstInfo(Oids.Sha1, sha1, Start), _pki.Tsa, _pki.Tsa);

        var result = _verifier.Verify(token, sha1, HashAlgorithmName.SHA1, _trust);

        Assert.Equal(TrustFailure.WeakAlgorithm, result.Failure);
    }

    [Fact]
    public void Verify_ForgedTokenWithEssV2_IsValid()
    {
        var token = TokenForge.Sign(TokenForge.TstInfo(Oids.Sha256, Hash, Start), _pki.Tsa, _pki.Tsa);

        var result = _verifier.Verify(token, Hash, HashAlgorithmName.SHA256, _trust);

        Assert.True(result.IsValid, result.ToString());
    }

    [Fact]
    public void Verify_EssV1SigningCertificate_IsValid()
    {
        // RFC 3161 §2.4.2 mandates the v1 attribute; many TSAs still send only that.
        var token = TokenForge.Sign(TokenForge.TstInfo(Oids.Sha256, Hash, Start), _pki.Tsa, _pki.Tsa, TokenForge.Ess.V1);

        Assert.True(_verifier.Verify(token, Hash, HashAlgorithmName.SHA256, _trust).IsValid);
    }

    [Fact]
    public void Verify_EssAttributeMissing_FailsWithSignedAttributeInvalid()
    {
        var token = TokenForge.Sign(TokenForge.TstInfo(Oids.Sha256, Hash, Start), _pki.Tsa, essFor: null, TokenForge.Ess.None);

        var result = _verifier.Verify(token, Hash, HashAlgorithmName.SHA256, _trust);

        Assert.Equal(TrustFailure.SignedAttributeInvalid, result.Failure);
    }

    [Fact]
    public void Verify_EssNamesTsaButAnotherKeySigned_FailsWithSignedAttributeInvalid()
    {
        // Someone with another time-stamping certificate of the same CA claims to be the approved TSA.
        var impostor = _pki.Issue("CN=Impostor TSA", CertificateProfile.TimeStamping);
        var token = TokenForge.Sign(TokenForge.TstInfo(Oids.Sha256, Hash, Start), impostor, _pki.Tsa, TokenForge.Ess.V2, _pki.Tsa);

        var result = _verifier.Verify(token, Hash, HashAlgorithmName.SHA256, _trust with { ApprovedTsaCertificates = [_pki.Tsa] });

        Assert.Equal(TrustFailure.SignedAttributeInvalid, result.Failure);
    }

    [Fact]
    public void Verify_TsaNotInApprovedList_FailsWithTsaNotApproved()
    {
        var approved = _pki.Issue("CN=Approved TSA", CertificateProfile.TimeStamping);
        var (_, response) = Stamp(_tsa, Hash);

        var result = _verifier.Verify(response, Hash, HashAlgorithmName.SHA256, _trust with { ApprovedTsaCertificates = [approved] });

        Assert.Equal(TrustFailure.TimeStampTsaNotApproved, result.Failure);
    }

    [Fact]
    public void Verify_TsaInApprovedList_IsValid()
    {
        var (_, response) = Stamp(_tsa, Hash);

        var result = _verifier.Verify(response, Hash, HashAlgorithmName.SHA256, _trust with { ApprovedTsaCertificates = [PublicOnly(_pki.Tsa)] });

        Assert.True(result.IsValid, result.ToString());
    }

    [Fact]
    public void Verify_TokenWithoutCertificateAndApprovedList_FindsSignerInList()
    {
        var request = Rfc3161TimestampRequest.CreateFromHash(Hash, HashAlgorithmName.SHA256, requestSignerCertificates: false);
        var response = _tsa.Respond(request.Encode());

        var withList = _verifier.Verify(response, Hash, HashAlgorithmName.SHA256, _trust with { ApprovedTsaCertificates = [PublicOnly(_pki.Tsa)] });
        var withoutList = _verifier.Verify(response, Hash, HashAlgorithmName.SHA256, _trust);

        Assert.True(withList.IsValid, withList.ToString());
        Assert.Equal(TrustFailure.UntrustedCertificate, withoutList.Failure);
    }

    [Theory]
    [InlineData(-10, null)]
    [InlineData(-4, null)]
    [InlineData(0, null)]
    [InlineData(4, null)]
    [InlineData(10, TrustFailure.TimeStampFutureDated)]
    public void Verify_TsaClockOffsetFromLocal_AcceptedOnlyWithinSkew(int tsaOffsetMinutes, TrustFailure? expected)
    {
        // RELIABILITY.md row 15: skew of ±10 min with a 5 min tolerance; a TSA ahead of us beyond it is refused.
        // A PKI issued a day earlier, so that only genTime against local time is at stake here.
        using var pki = TestPki.Create(new ManualTimeProvider(Start.AddDays(-1)));
        var tsaClock = new ManualTimeProvider(Start.AddMinutes(tsaOffsetMinutes));
        var (_, response) = Stamp(new TimeStampAuthority(pki.Tsa, tsaClock), Hash);

        var result = _verifier.Verify(response, Hash, HashAlgorithmName.SHA256, new TimeStampTrust(pki.CreateValidator(TimeSpan.FromMinutes(5))));

        Assert.Equal(expected, result.Failure);
    }

    [Theory]
    [InlineData(4, null)]
    [InlineData(10, TrustFailure.CertificateNotYetValid)]
    public void Verify_TsaCertificateNotBeforeAfterGenTime_AcceptedOnlyWithinSkew(int notBeforeOffsetMinutes, TrustFailure? expected)
    {
        var cert = _pki.Issue("CN=Fresh TSA", CertificateProfile.TimeStamping, options: new IssueOptions { NotBefore = Start.AddMinutes(notBeforeOffsetMinutes), NotAfter = Start.AddDays(30) });
        var (_, response) = Stamp(new TimeStampAuthority(cert, _time), Hash);

        var result = _verifier.Verify(response, Hash, HashAlgorithmName.SHA256, _trust);

        Assert.Equal(expected, result.Failure);
    }

    [Fact]
    public void Verify_SameTsaTwice_BothValid()
    {
        for (var i = 0; i < 2; i++)
        {
            _time.Advance(TimeSpan.FromMinutes(1));
            var (request, response) = Stamp(_tsa, Hash);
            var result = _verifier.Verify(response, Hash, HashAlgorithmName.SHA256, _trust, request.GetNonce()!.Value.Span);
            Assert.True(result.IsValid, result.ToString());
            Assert.Equal(_time.GetUtcNow(), result.Value.GenTime);
        }
    }

    private static (Rfc3161TimestampRequest Request, byte[] Response) Stamp(TimeStampAuthority tsa, byte[] hash, HashAlgorithmName? algorithm = null)
    {
        var request = TimeStampRequestFactory.Create(hash, algorithm ?? HashAlgorithmName.SHA256);
        return (request, tsa.Respond(request.Encode()));
    }

    private static byte[] ExtractToken(byte[] response)
    {
        var token = TimeStampVerifier.ExtractToken(response);
        Assert.True(token.IsValid, token.ToString());
        return token.Value.ToArray();
    }

    private static X509Certificate2 PublicOnly(X509Certificate2 cert) => X509CertificateLoader.LoadCertificate(cert.RawData);
}
