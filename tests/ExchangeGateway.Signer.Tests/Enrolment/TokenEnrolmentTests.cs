using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ExchangeGateway.Common.Crypto.X509;
using ExchangeGateway.Config.Model;
using ExchangeGateway.Signer.Enrolment;
using ExchangeGateway.Signer.Keys;
using ExchangeGateway.Signer.Tests.Support;
using ExchangeGateway.Signer.Tokens;
using ExchangeGateway.Testing.Hosting;
using ExchangeGateway.Testing.Tools;

namespace ExchangeGateway.Signer.Tests.Enrolment;

public sealed class TokenEnrolmentTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private TrustServicesInstance _trust = null!;
    private HttpClient _http = null!;
    private SoftwareToken _token = null!;

    public async Task InitializeAsync()
    {
        _trust = await TrustServicesInstance.StartAsync(_dir.File("trust"));
        _http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        _token = TokenSupport.Initialised(_dir.File("keys"), TimeProvider.System);
    }

    public async Task DisposeAsync()
    {
        _token.Dispose();
        _http.Dispose();
        await _trust.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task EnrolAsync_EmptyToken_ImportsASavedAuthenticationAndARegisteredSigningCertificate()
    {
        var result = await TokenEnrolment.EnrolAsync(_http, _trust.BaseAddress, _token, TestIdentities.Server);

        Assert.True(result.Success, result.Message);
        Assert.Equal([KeyPurpose.Authentication, KeyPurpose.Signing], result.Certificates.Select(c => c.Usage));
        Assert.All(result.Certificates, c => Assert.Equal(EnrolmentOutcome.Enrolled, c.Outcome));
        Assert.Equal(CertificateState.Saved, result.Certificates[0].Certificate.State);
        Assert.Equal(CertificateState.Registered, result.Certificates[1].Certificate.State);
        Assert.Equal(TestIdentities.Owner, result.Certificates[1].Member);

        using var root = X509Certificate2.CreateFromPem(await _http.GetStringAsync(new Uri(_trust.BaseAddress, "ca/root.pem")));
        var validator = new CertificateValidator([root]);
        using var auth = _token.GetAuthenticationIdentity();
        var signing = Assert.Single(_token.GetSigningIdentities());
        using (signing)
        {
            Assert.NotNull(auth);
            Assert.True(validator.Validate(auth.Certificate, CertificatePurpose.Authentication, DateTimeOffset.UtcNow, auth.Chain).IsValid);
            Assert.True(validator.Validate(signing.Certificate, CertificatePurpose.Signing, DateTimeOffset.UtcNow, signing.Chain).IsValid);
            Assert.Equal(result.Certificates[0].Certificate.Id, auth.CertificateSha256);
            Assert.Equal(TestIdentities.Owner, CertificateSubjectProfile.Default.TryGetMember(signing.Certificate.SubjectName, "DEV").Value);
            Assert.Contains("OU=ss1", auth.Certificate.Subject, StringComparison.Ordinal);
            Assert.IsAssignableFrom<ECDsa>(signing.PrivateKey);
        }

        // The answered CSRs are gone; the chain is [intermediate, root].
        Assert.All(_token.Describe().Keys, k => Assert.Empty(k.Csrs));
        Assert.Equal(2, result.Certificates[0].Certificate.Chain.Length);
        Assert.Equal(root.RawData, result.Certificates[0].Certificate.Chain[1].ToArray());
    }

    [Fact]
    public async Task EnrolAsync_AlreadyEnrolled_AsksTheCaNothingAndChangesNothing()
    {
        Assert.True((await TokenEnrolment.EnrolAsync(_http, _trust.BaseAddress, _token, TestIdentities.Server)).Success);
        var before = TokenSupport.Snapshot(_token.Directory);
        var issuedBefore = await _http.GetStringAsync(new Uri(_trust.BaseAddress, "ca/certificates"));

        var again = await TokenEnrolment.EnrolAsync(_http, _trust.BaseAddress, _token, TestIdentities.Server);

        Assert.True(again.Success, again.Message);
        Assert.All(again.Certificates, c => Assert.Equal(EnrolmentOutcome.AlreadyEnrolled, c.Outcome));
        TokenSupport.AssertSameFiles(before, _token.Directory);
        Assert.Equal(issuedBefore, await _http.GetStringAsync(new Uri(_trust.BaseAddress, "ca/certificates")));
    }

    [Fact]
    public async Task EnrolAsync_KeyWithoutCertificate_CertifiesThatKey()
    {
        var existing = TokenSupport.Generate(_token, KeyPurpose.Authentication);

        var result = await TokenEnrolment.EnrolAsync(_http, _trust.BaseAddress, _token, TestIdentities.Server);

        Assert.True(result.Success, result.Message);
        Assert.Equal(existing.Id, result.Certificates[0].Certificate.KeyId);
        Assert.Equal(2, _token.Describe().Keys.Length);
    }

    [Fact]
    public async Task EnrolSigningAsync_AnotherMemberWithRsa_GetsItsOwnCertificate()
    {
        var result = await TokenEnrolment.EnrolSigningAsync(_http, _trust.BaseAddress, _token, TestIdentities.Other, new EnrolmentOptions { Algorithm = KeyAlgorithm.Rsa2048 });

        Assert.True(result.Success, result.Message);
        var key = Assert.Single(_token.Describe().Keys);
        Assert.Equal(KeyAlgorithm.Rsa2048, key.Algorithm);
        Assert.Equal(TestIdentities.Other, key.Member);
        using var identity = Assert.Single(_token.GetSigningIdentities());
        Assert.Equal(TestIdentities.Other, identity.Member);
    }

    [Fact]
    public async Task EnrolAsync_LoggedOut_FailsWithTokenNotActiveAndAsksTheCaNothing()
    {
        _token.Logout();
        var issuedBefore = await _http.GetStringAsync(new Uri(_trust.BaseAddress, "ca/certificates"));

        var result = await TokenEnrolment.EnrolAsync(_http, _trust.BaseAddress, _token, TestIdentities.Server);

        Assert.Equal(TokenErrors.NotActive, result.ErrorCode);
        Assert.Empty(result.Certificates);
        Assert.Empty(_token.Describe().Keys);
        Assert.Equal(issuedBefore, await _http.GetStringAsync(new Uri(_trust.BaseAddress, "ca/certificates")));
    }

    [Fact]
    public async Task EnrolAsync_CaUnreachable_FailsWithNetworkErrorAndKeepsTheKeyForTheNextRun()
    {
        var closed = new Uri("http://127.0.0.1:1/");

        var result = await TokenEnrolment.EnrolAsync(_http, closed, _token, TestIdentities.Server, new EnrolmentOptions { RequestTimeout = TimeSpan.FromSeconds(5) });

        Assert.Equal(SignerErrors.CaUnavailable, result.ErrorCode);
        var key = Assert.Single(_token.Describe().Keys);
        Assert.Empty(key.Certificates);

        var retried = await TokenEnrolment.EnrolAsync(_http, _trust.BaseAddress, _token, TestIdentities.Server);
        Assert.True(retried.Success, retried.Message);
        Assert.Equal(key.Id, retried.Certificates[0].Certificate.KeyId);
    }
}
