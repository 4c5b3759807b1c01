using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ExchangeGateway.Common.Crypto.Batch;
using ExchangeGateway.Common.Crypto.Cms;
using ExchangeGateway.Common.Crypto.Ocsp;
using ExchangeGateway.Common.Crypto.X509;
using ExchangeGateway.Signer.Enrolment;
using ExchangeGateway.Signer.Ocsp;
using ExchangeGateway.Signer.Signing;
using ExchangeGateway.Signer.Tests.Support;
using ExchangeGateway.Testing.Hosting;
using ExchangeGateway.Testing.Tools;

namespace ExchangeGateway.Signer.Tests.Signing;

/// <summary>The whole path against the real dev trust services: enrol, fetch OCSP from the AIA URL, sign, revoke.</summary>
public sealed class DevCaSigningTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private TrustServicesInstance _trust = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _trust = await TrustServicesInstance.StartAsync(_dir.File("trust"));
        _http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _trust.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task SignAsync_EnrolledKey_SignsUntilTheDevCaRevokesTheCertificate()
    {
        using var token = TokenSupport.Initialised(_dir.File("keys"), TimeProvider.System);
        var enrolment = await TokenEnrolment.EnrolAsync(_http, _trust.BaseAddress, token, TestIdentities.Server);
        Assert.True(enrolment.Success, enrolment.Message);
        using var ocsp = new OcspStatusManager(_http, new OcspStatusManagerOptions { StorageDirectory = _dir.File("ocsp") });
        await using var signer = new BatchingSigner(ocsp);
        var identity = Assert.Single(token.GetSigningIdentities(), i => i.Member == TestIdentities.Owner);
        var certificate = TestIdentities.Copy(identity.Certificate);
        signer.AddOrReplace(identity);

        // The authentication certificate's status is kept too (the server proxy staples and checks it).
        using var auth = token.GetAuthenticationIdentity()!;
        ocsp.Track(auth.Certificate, auth.Chain);
        Assert.True(await ocsp.RefreshAsync());
        Assert.True(ocsp.IsGood(auth.Certificate));

        var digest = SHA256.HashData("hello"u8);
        var signed = await signer.SignAsync(TestIdentities.Owner, digest);

        Assert.True(signed.IsSuccess, signed.Message);
        using var root = X509Certificate2.CreateFromPem(await _http.GetStringAsync(new Uri(_trust.BaseAddress, "ca/root.pem")));
        var verifier = new BatchSignatureVerifier(new CmsSignatureVerifier(new CertificateValidator([root])));
        Assert.True(verifier.Verify(digest, signed.Signature, DateTimeOffset.UtcNow).IsValid);
        using var issuer = X509Certificate2.CreateFromPem(await _http.GetStringAsync(new Uri(_trust.BaseAddress, "ca/intermediate.pem")));
        Assert.True(OcspResponseVerifier.Verify(signed.OcspResponse.ToArray(), signed.Certificate, issuer, DateTimeOffset.UtcNow).IsValid);

        using var revoke = await _http.PostAsync(new Uri(_trust.BaseAddress, $"ca/certificates/{Convert.ToHexString(certificate.SerialNumberBytes.Span)}/revoke?reason=1"), null);
        revoke.EnsureSuccessStatusCode();
        var refreshed = await ocsp.RefreshAsync(certificate);

        Assert.Equal(OcspCertificateStatus.Revoked, refreshed.Value!.Status);
        var refused = await signer.SignAsync(TestIdentities.Owner, digest);
        Assert.Equal(SignFailure.OcspNotGood, refused.Failure);
        Assert.True(ocsp.IsGood(auth.Certificate));
    }
}
