using ExchangeGateway.Common.Crypto.Ocsp;
using ExchangeGateway.Common.Crypto.X509;
using ExchangeGateway.Common.Results;
using ExchangeGateway.Testing.Pki;
using ExchangeGateway.Testing.Time;
using ExchangeGateway.TrustServices.Ocsp;

namespace ExchangeGateway.Common.Tests.Crypto.Ocsp;

public sealed class OcspCertificateCacheTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 4, 1, 9, 0, 0, TimeSpan.Zero);
    private readonly ManualTimeProvider _time = new(Now);
    private readonly TestPki _pki;

    public OcspCertificateCacheTests()
    {
        _pki = TestPki.Create(_time);
    }

    public void Dispose() => _pki.Dispose();

    [Fact]
    public void Verify_WithCertificateCache_SameVerdictsOnRepeatedUse()
    {
        var good = _pki.IssueSigning("EE", "GOV", "good");
        var revoked = _pki.IssueSigning("EE", "GOV", "revoked");
        var responder = new OcspResponder(_pki.IntermediateCertificate, _pki.OcspResponder, serial =>
            serial.AsSpan().SequenceEqual(revoked.SerialNumberBytes.Span) ? CertificateStatusEntry.Revoked(Now.AddHours(-1)) : CertificateStatusEntry.Good, _time);
        var options = new OcspVerificationOptions { Certificates = new CertificateCache() };
        var goodResponse = responder.Respond(OcspRequestBuilder.Build(good, _pki.IntermediateCertificate));
        var revokedResponse = responder.Respond(OcspRequestBuilder.Build(revoked, _pki.IntermediateCertificate));

        for (var i = 0; i < 3; i++)
        {
            Assert.True(OcspResponseVerifier.Verify(goodResponse, good, _pki.IntermediateCertificate, Now, options).IsValid);
            Assert.Equal(TrustFailure.CertificateRevoked, OcspResponseVerifier.Verify(revokedResponse, revoked, _pki.IntermediateCertificate, Now, options).Failure);

            // A response for one certificate never vouches for another, cached responder or not.
            Assert.Equal(TrustFailure.OcspWrongCertificate, OcspResponseVerifier.Verify(goodResponse, revoked, _pki.IntermediateCertificate, Now, options).Failure);
        }
    }
}
