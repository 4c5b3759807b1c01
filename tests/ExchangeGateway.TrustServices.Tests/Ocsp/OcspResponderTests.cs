using System.Security.Cryptography;
using ExchangeGateway.Common.Crypto.Ocsp;
using ExchangeGateway.Common.Results;
using ExchangeGateway.Testing.Pki;
using ExchangeGateway.Testing.Time;
using ExchangeGateway.TrustServices.Ocsp;

namespace ExchangeGateway.TrustServices.Tests.Ocsp;

public sealed class OcspResponderTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly ManualTimeProvider _time = new(Start);
    private readonly TestPki _pki;
    private readonly Dictionary<string, CertificateStatusEntry> _statuses = new(StringComparer.Ordinal);

    public OcspResponderTests()
    {
        _pki = TestPki.Create(_time);
    }

    public void Dispose() => _pki.Dispose();

    [Fact]
    public void Respond_RequestWithNonce_EchoesNonceAndSetsValidityWindow()
    {
        var leaf = Register(CertificateStatusEntry.Good);
        var responder = CreateResponder(TimeSpan.FromMinutes(30));
        var nonce = OcspRequestBuilder.CreateNonce();
        _time.Advance(TimeSpan.FromSeconds(1.7));

        var response = responder.Respond(OcspRequestBuilder.Build(leaf, _pki.IntermediateCertificate, nonce));

        var result = OcspResponseVerifier.Verify(response, leaf, _pki.IntermediateCertificate, _time.GetUtcNow(), OcspVerificationOptions.Default with { ExpectedNonce = nonce });
        Assert.True(result.IsValid, result.ToString());
        var now = Start.AddSeconds(1);
        Assert.Equal(now, result.Value.ThisUpdate);
        Assert.Equal(now, result.Value.ProducedAt);
        Assert.Equal(now.AddMinutes(30), result.Value.NextUpdate);
        Assert.Equal(_pki.OcspResponder.Subject, result.Value.ResponderSubject);
    }

    [Fact]
    public void Respond_RevokedCertificate_AnswersRevokedWithTimeAndReason()
    {
        var leaf = Register(CertificateStatusEntry.Revoked(Start.AddDays(-2), OcspRevocationReason.CessationOfOperation));

        var response = CreateResponder().Respond(OcspRequestBuilder.Build(leaf, _pki.IntermediateCertificate));

        var single = Assert.Single(OcspResponseVerifier.Parse(response).GetValueOrThrow().Responses);
        Assert.Equal(OcspCertificateStatus.Revoked, single.Status);
        Assert.Equal(Start.AddDays(-2), single.RevocationTime);
        Assert.Equal(OcspRevocationReason.CessationOfOperation, single.RevocationReason);
    }

    [Fact]
    public void Respond_CertificateNotInTable_AnswersUnknown()
    {
        var leaf = _pki.IssueSigning("EE", "GOV", "unregistered");

        var response = CreateResponder().Respond(OcspRequestBuilder.Build(leaf, _pki.IntermediateCertificate));

        var result = OcspResponseVerifier.Verify(response, leaf, _pki.IntermediateCertificate, Start);
        Assert.Equal(TrustFailure.CertificateStatusUnknown, result.Failure);
    }

    [Fact]
    public void Respond_CertIdOfAnotherIssuer_AnswersUnknown()
    {
        using var other = TestPki.Create(_time, "Other");
        var foreign = other.IssueSigning("EE", "GOV", "1");

        // Even a serial the table knows is unknown when the CertID names another CA.
        _statuses[Convert.ToHexString(foreign.SerialNumberBytes.Span)] = CertificateStatusEntry.Good;
        var response = CreateResponder().Respond(OcspRequestBuilder.Build(foreign, other.IntermediateCertificate));

        var single = Assert.Single(OcspResponseVerifier.Parse(response).GetValueOrThrow().Responses);
        Assert.Equal(OcspCertificateStatus.Unknown, single.Status);
    }

    [Fact]
    public void Respond_Sha1CertIdAndSeveralCertificates_AnswersEachInOrderEchoingCertIds()
    {
        var good = Register(CertificateStatusEntry.Good);
        var revoked = Register(CertificateStatusEntry.Revoked(Start.AddHours(-1)));
        var ids = new[]
        {
            OcspCertificateId.Create(good, _pki.IntermediateCertificate, HashAlgorithmName.SHA1),
            OcspCertificateId.Create(revoked, _pki.IntermediateCertificate),
        };

        var response = CreateResponder().Respond(OcspRequestBuilder.Build(ids));

        var singles = OcspResponseVerifier.Parse(response).GetValueOrThrow().Responses;
        Assert.Equal(2, singles.Count);
        Assert.Equal(ids[0].Encode(), singles[0].CertificateId.Encode());
        Assert.Equal(OcspCertificateStatus.Good, singles[0].Status);
        Assert.Equal(OcspCertificateStatus.Revoked, singles[1].Status);
    }

    [Fact]
    public void Respond_SignedByIssuingCa_IsVerifiedWithoutIncludedCertificate()
    {
        var leaf = Register(CertificateStatusEntry.Good);
        var responder = new OcspResponder(_pki.IntermediateCertificate, _pki.IntermediateCertificate, Lookup, _time);

        var response = responder.Respond(OcspRequestBuilder.Build(leaf, _pki.IntermediateCertificate));

        Assert.Empty(OcspResponseVerifier.Parse(response).GetValueOrThrow().CertificateSubjects);
        Assert.True(OcspResponseVerifier.Verify(response, leaf, _pki.IntermediateCertificate, Start).IsValid);
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 0x30, 0x00 })]
    [InlineData(new byte[] { 0x30, 0x02, 0x30, 0x00 })]
    [InlineData(new byte[] { 0x68, 0x65, 0x6C, 0x6C, 0x6F })]
    public void Respond_MalformedRequest_AnswersMalformedRequestStatus(byte[] request)
    {
        var response = CreateResponder().Respond(request);

        Assert.Equal(OcspResponseStatus.MalformedRequest, OcspResponseVerifier.Parse(response).GetValueOrThrow().ResponseStatus);
    }

    private System.Security.Cryptography.X509Certificates.X509Certificate2 Register(CertificateStatusEntry status)
    {
        var leaf = _pki.IssueSigning("EE", "GOV", Guid.NewGuid().ToString("N")[..8]);
        _statuses[Convert.ToHexString(leaf.SerialNumberBytes.Span)] = status;
        return leaf;
    }

    private CertificateStatusEntry? Lookup(byte[] serial) =>
        _statuses.GetValueOrDefault(Convert.ToHexString(serial));

    private OcspResponder CreateResponder(TimeSpan? validity = null) =>
        new(_pki.IntermediateCertificate, _pki.OcspResponder, Lookup, _time, validity);
}
