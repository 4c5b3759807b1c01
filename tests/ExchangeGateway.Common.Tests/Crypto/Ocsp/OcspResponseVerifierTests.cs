using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ExchangeGateway.Common.Crypto.Ocsp;
using ExchangeGateway.Common.Results;
using ExchangeGateway.Testing.Pki;
using ExchangeGateway.Testing.Time;
using ExchangeGateway.TrustServices.Ca;
using ExchangeGateway.TrustServices.Ocsp;

namespace ExchangeGateway.Common.Tests.Crypto.Ocsp;

public sealed class OcspResponseVerifierTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly ManualTimeProvider _time = new(Start);
    private readonly TestPki _pki;
    private readonly X509Certificate2 _leaf;

    public OcspResponseVerifierTests()
    {
        _pki = TestPki.Create(_time);
        _leaf = _pki.IssueSigning("EE", "GOV", "70000001");
    }

    private X509Certificate2 Issuer => _pki.IntermediateCertificate;

    public void Dispose() => _pki.Dispose();

    [Fact]
    public void Verify_GoodResponseFromDelegatedResponder_ReturnsGoodStatus()
    {
        var response = Build();

        var result = Verify(response);

        Assert.True(result.IsValid, result.ToString());
        Assert.Equal(OcspCertificateStatus.Good, result.Value.Status);
        Assert.Equal(Start, result.Value.ThisUpdate);
        Assert.Equal(Start.AddHours(1), result.Value.NextUpdate);
        Assert.Equal(Start, result.Value.ProducedAt);
        Assert.Null(result.Value.RevocationTime);
        Assert.Equal(_pki.OcspResponder.Subject, result.Value.ResponderSubject);
    }

    [Fact]
    public void Verify_RevokedCertificate_FailsWithCertificateRevoked()
    {
        var revokedAt = Start.AddDays(-1);
        var response = Build(status: CertificateStatusEntry.Revoked(revokedAt, OcspRevocationReason.KeyCompromise));

        var result = Verify(response);

        Assert.Equal(TrustFailure.CertificateRevoked, result.Failure);
        Assert.Contains("KeyCompromise", result.Message, StringComparison.Ordinal);
        Assert.Contains(revokedAt.ToString("O"), result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_UnknownCertificate_FailsWithCertificateStatusUnknown()
    {
        var response = Build(unknown: true);

        Assert.Equal(TrustFailure.CertificateStatusUnknown, Verify(response).Failure);
    }

    [Fact]
    public void Verify_ResponseForAnotherCertificate_FailsWithOcspWrongCertificate()
    {
        var other = _pki.IssueSigning("EE", "GOV", "70000002");
        var response = Build(id: OcspCertificateId.Create(other, Issuer));

        var result = Verify(response);

        Assert.Equal(TrustFailure.OcspWrongCertificate, result.Failure);
        Assert.Contains(Convert.ToHexString(other.SerialNumberBytes.Span), result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_SameSerialUnderAnotherIssuer_FailsWithOcspWrongCertificate()
    {
        using var other = TestPki.Create(_time, "Other");
        var response = Build(id: OcspCertificateId.Create(other.IntermediateCertificate, _leaf.SerialNumberBytes.Span));

        Assert.Equal(TrustFailure.OcspWrongCertificate, Verify(response).Failure);
    }

    [Fact]
    public void Verify_ResponseWithoutSingleResponse_FailsWithOcspWrongCertificate()
    {
        var builder = new OcspResponseBuilder(_pki.OcspResponder, Start);
        var response = builder.Build();

        var result = Verify(response);

        Assert.Equal(TrustFailure.OcspWrongCertificate, result.Failure);
        Assert.Contains("no SingleResponse", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_ResponderFromAnotherPki_FailsWithOcspUnauthorisedResponder()
    {
        using var other = TestPki.Create(_time, "Other");
        var response = Build(signer: other.OcspResponder);

        var result = Verify(response);

        Assert.Equal(TrustFailure.OcspUnauthorisedResponder, result.Failure);
        Assert.Contains("Other OCSP Responder", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_ResponderWithoutOcspSigningEku_FailsWithOcspUnauthorisedResponder()
    {
        var notAResponder = _pki.IssueSigning("EE", "GOV", "70000003");
        var response = Build(signer: notAResponder);

        var result = Verify(response);

        Assert.Equal(TrustFailure.OcspUnauthorisedResponder, result.Failure);
        Assert.Contains("OCSPSigning", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_ExpiredResponderCertificate_FailsWithOcspUnauthorisedResponder()
    {
        var expired = _pki.Issue(
            "CN=Expired OCSP Responder",
            CertificateProfile.OcspResponder,
            options: new IssueOptions { NotBefore = Start.AddDays(-10), NotAfter = Start.AddDays(-1) });
        var response = Build(signer: expired);

        var result = Verify(response);

        Assert.Equal(TrustFailure.OcspUnauthorisedResponder, result.Failure);
        Assert.Contains("certificate_expired", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_ResponderCertificateNotIncluded_FailsWithOcspUnauthorisedResponder()
    {
        var response = Build(configure: b => b.IncludeSignerCertificate = false);

        Assert.Equal(TrustFailure.OcspUnauthorisedResponder, Verify(response).Failure);
    }

    [Fact]
    public void Verify_TamperedSignature_FailsWithSignatureInvalid()
    {
        var response = Build(configure: b => b.TamperSignature = true);

        Assert.Equal(TrustFailure.SignatureInvalid, Verify(response).Failure);
    }

    [Fact]
    public void Verify_ResponderIdNamesCaButAnotherKeySigned_FailsWithSignatureInvalid()
    {
        // The ResponderID claims the CA; the delegated responder's key signed. The claimed signer's key
        // must be the one that verifies.
        var response = Build(configure: b => b.ResponderIdCertificate = Issuer);

        Assert.Equal(TrustFailure.SignatureInvalid, Verify(response).Failure);
    }

    [Fact]
    public void Verify_ResponderIdMatchesNoCertificate_FailsWithOcspUnauthorisedResponder()
    {
        var stranger = _pki.IssueSigning("EE", "GOV", "70000004");
        var response = Build(configure: b => b.ResponderIdCertificate = stranger);

        Assert.Equal(TrustFailure.OcspUnauthorisedResponder, Verify(response).Failure);
    }

    [Fact]
    public void Verify_Sha1Signature_FailsWithWeakAlgorithm()
    {
        var response = Build(configure: b => b.SignatureHash = HashAlgorithmName.SHA1);

        Assert.Equal(TrustFailure.WeakAlgorithm, Verify(response).Failure);
    }

    [Fact]
    public void Verify_StaleThisUpdate_FailsWithOcspStale()
    {
        var thisUpdate = Start.AddMinutes(-21);
        var response = Build(thisUpdate: thisUpdate, nextUpdate: Start.AddHours(1), producedAt: thisUpdate);

        var result = Verify(response, Options with { FreshnessLimit = TimeSpan.FromMinutes(20) });

        Assert.Equal(TrustFailure.OcspStale, result.Failure);
    }

    [Fact]
    public void Verify_ThisUpdateAtFreshnessLimit_IsAccepted()
    {
        var response = Build(thisUpdate: Start.AddMinutes(-20));

        Assert.True(Verify(response).IsValid);
    }

    [Fact]
    public void Verify_FutureThisUpdateBeyondSkew_FailsWithOcspFutureDated()
    {
        var response = Build(thisUpdate: Start.AddMinutes(6));

        Assert.Equal(TrustFailure.OcspFutureDated, Verify(response).Failure);
    }

    [Fact]
    public void Verify_FutureThisUpdateWithinSkew_IsAccepted()
    {
        var response = Build(thisUpdate: Start.AddMinutes(4));

        Assert.True(Verify(response).IsValid);
    }

    [Fact]
    public void Verify_NextUpdatePassed_FailsWithOcspExpired()
    {
        var response = Build(thisUpdate: Start.AddMinutes(-15), nextUpdate: Start.AddMinutes(-6));

        Assert.Equal(TrustFailure.OcspExpired, Verify(response).Failure);
    }

    [Fact]
    public void Verify_NextUpdatePassedWithinSkew_IsAccepted()
    {
        var response = Build(thisUpdate: Start.AddMinutes(-15), nextUpdate: Start.AddMinutes(-4));

        Assert.True(Verify(response).IsValid);
    }

    [Fact]
    public void Verify_NoNextUpdate_IsAccepted()
    {
        var response = Build(omitNextUpdate: true);

        var result = Verify(response);

        Assert.True(result.IsValid, result.ToString());
        Assert.Null(result.Value.NextUpdate);
    }

    // RELIABILITY.md row 15: thisUpdate offsets against a 5-minute skew and 20-minute freshness.
    [Theory]
    [InlineData(-10, null)]
    [InlineData(-4, null)]
    [InlineData(0, null)]
    [InlineData(4, null)]
    [InlineData(10, TrustFailure.OcspFutureDated)]
    public void Verify_ThisUpdateClockSkewMatrix_AcceptsWithinSkewOnly(int offsetMinutes, TrustFailure? expected)
    {
        var thisUpdate = Start.AddMinutes(offsetMinutes);
        var response = Build(thisUpdate: thisUpdate, nextUpdate: thisUpdate.AddHours(1), producedAt: thisUpdate);

        var result = Verify(response);

        Assert.Equal(expected, result.Failure);
    }

    [Theory]
    [InlineData(OcspResponseStatus.MalformedRequest)]
    [InlineData(OcspResponseStatus.InternalError)]
    [InlineData(OcspResponseStatus.TryLater)]
    [InlineData(OcspResponseStatus.SigRequired)]
    [InlineData(OcspResponseStatus.Unauthorized)]
    public void Verify_UnsuccessfulResponseStatus_FailsWithOcspResponseUnsuccessful(OcspResponseStatus status)
    {
        var response = OcspResponseBuilder.BuildUnsuccessful(status);

        var result = Verify(response);

        Assert.Equal(TrustFailure.OcspResponseUnsuccessful, result.Failure);
    }

    [Fact]
    public void Verify_MatchingNonce_IsAccepted()
    {
        var nonce = OcspRequestBuilder.CreateNonce();
        var response = Build(configure: b => b.Nonce = nonce);

        Assert.True(Verify(response, Options with { ExpectedNonce = nonce }).IsValid);
    }

    [Fact]
    public void Verify_DifferentNonce_FailsWithOcspNonceMismatch()
    {
        var response = Build(configure: b => b.Nonce = OcspRequestBuilder.CreateNonce());

        var result = Verify(response, Options with { ExpectedNonce = OcspRequestBuilder.CreateNonce() });

        Assert.Equal(TrustFailure.OcspNonceMismatch, result.Failure);
    }

    [Fact]
    public void Verify_MissingNonceWhenExpected_FailsWithOcspNonceMismatch()
    {
        var response = Build();

        var result = Verify(response, Options with { ExpectedNonce = OcspRequestBuilder.CreateNonce() });

        Assert.Equal(TrustFailure.OcspNonceMismatch, result.Failure);
    }

    [Fact]
    public void Verify_Sha1CertId_IsAccepted()
    {
        var response = Build(id: OcspCertificateId.Create(_leaf, Issuer, HashAlgorithmName.SHA1));

        Assert.True(Verify(response).IsValid);
    }

    [Fact]
    public void Verify_Sha384CertId_IsAccepted()
    {
        var response = Build(id: OcspCertificateId.Create(_leaf, Issuer, HashAlgorithmName.SHA384));

        Assert.True(Verify(response).IsValid);
    }

    [Fact]
    public void Verify_ResponseSignedByIssuingCa_IsAccepted()
    {
        var response = Build(signer: _pki.IntermediateCertificate, configure: b => b.IncludeSignerCertificate = false);

        var result = Verify(response);

        Assert.True(result.IsValid, result.ToString());
        Assert.Equal(Issuer.Subject, result.Value.ResponderSubject);
    }

    [Fact]
    public void Verify_ResponderIdByName_IsAccepted()
    {
        var response = Build(configure: b => b.ResponderIdByName = true);

        Assert.True(Verify(response).IsValid);
    }

    [Fact]
    public void Verify_ExplicitlyTrustedResponder_IsAccepted()
    {
        using var other = TestPki.Create(_time, "Other");
        var response = Build(signer: other.OcspResponder, configure: b => b.IncludeSignerCertificate = false);

        var result = Verify(response, Options with { TrustedResponders = [other.OcspResponder] });

        Assert.True(result.IsValid, result.ToString());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Verify_RsaDelegatedResponder_IsAccepted(bool pss)
    {
        var rsaResponder = _pki.Issue("CN=RSA OCSP Responder", CertificateProfile.OcspResponder, KeyKind.Rsa2048);
        var response = Build(signer: rsaResponder, configure: b => b.UseRsaPss = pss);

        var result = Verify(response);

        Assert.True(result.IsValid, result.ToString());
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 0x30, 0x03, 0x0A, 0x01 })]
    [InlineData(new byte[] { 0x30, 0x00 })]
    [InlineData(new byte[] { 0x30, 0x03, 0x0A, 0x01, 0x00 })]
    [InlineData(new byte[] { 0x04, 0x02, 0x01, 0x02 })]
    public void Verify_GarbageBytes_FailsWithMalformed(byte[] response)
    {
        Assert.Equal(TrustFailure.Malformed, Verify(response).Failure);
    }

    [Fact]
    public void Verify_TruncatedResponse_FailsWithMalformed()
    {
        var response = Build();

        Assert.Equal(TrustFailure.Malformed, Verify(response[..^5]).Failure);
    }

    [Fact]
    public void Verify_TrailingBytes_FailsWithMalformed()
    {
        var response = Build();

        Assert.Equal(TrustFailure.Malformed, Verify([.. response, 0x00]).Failure);
    }

    [Fact]
    public void Parse_RevokedResponse_ReturnsFieldsWithoutVerifying()
    {
        var nonce = new byte[] { 1, 2, 3 };
        var response = Build(status: CertificateStatusEntry.Revoked(Start.AddHours(-2), OcspRevocationReason.Superseded), configure: b => b.Nonce = nonce);

        var parsed = OcspResponseVerifier.Parse(response);

        Assert.True(parsed.Success, parsed.ToString());
        var info = parsed.Value;
        Assert.Equal(OcspResponseStatus.Successful, info.ResponseStatus);
        Assert.Equal(Start, info.ProducedAt);
        Assert.StartsWith("byKey: ", info.ResponderId, StringComparison.Ordinal);
        Assert.Equal(ExchangeGateway.Common.Crypto.Oids.EcdsaWithSha256, info.SignatureAlgorithmOid);
        var single = Assert.Single(info.Responses);
        Assert.Equal(OcspCertificateStatus.Revoked, single.Status);
        Assert.Equal(OcspRevocationReason.Superseded, single.RevocationReason);
        Assert.Equal(Start.AddHours(-2), single.RevocationTime);
        Assert.True(single.CertificateId.Matches(_leaf, Issuer));
        Assert.Equal(nonce, info.Nonce!.Value.ToArray());
        Assert.Equal([_pki.OcspResponder.Subject], info.CertificateSubjects);
    }

    [Fact]
    public void Parse_UnsuccessfulResponse_ReturnsStatusOnly()
    {
        var parsed = OcspResponseVerifier.Parse(OcspResponseBuilder.BuildUnsuccessful(OcspResponseStatus.TryLater));

        Assert.True(parsed.Success);
        Assert.Equal(OcspResponseStatus.TryLater, parsed.Value.ResponseStatus);
        Assert.Empty(parsed.Value.Responses);
    }

    [Fact]
    public void Parse_Garbage_FailsWithMalformedCode()
    {
        var parsed = OcspResponseVerifier.Parse([0x01, 0x02]);

        Assert.False(parsed.Success);
        Assert.Equal("malformed", parsed.ErrorCode);
    }

    private static OcspVerificationOptions Options => OcspVerificationOptions.Default;

    private VerificationResult<OcspStatus> Verify(byte[] response, OcspVerificationOptions? options = null) =>
        OcspResponseVerifier.Verify(response, _leaf, Issuer, _time.GetUtcNow(), options ?? Options);

    private byte[] Build(
        X509Certificate2? signer = null,
        OcspCertificateId? id = null,
        CertificateStatusEntry? status = null,
        bool unknown = false,
        DateTimeOffset? thisUpdate = null,
        DateTimeOffset? nextUpdate = null,
        DateTimeOffset? producedAt = null,
        Action<OcspResponseBuilder>? configure = null,
        bool omitNextUpdate = false)
    {
        var update = thisUpdate ?? Start;
        var builder = new OcspResponseBuilder(signer ?? _pki.OcspResponder, producedAt ?? Start);
        builder.AddResponse(
            id ?? OcspCertificateId.Create(_leaf, Issuer),
            unknown ? null : status ?? CertificateStatusEntry.Good,
            update,
            omitNextUpdate ? null : nextUpdate ?? update.AddHours(1));
        configure?.Invoke(builder);
        return builder.Build();
    }
}
