using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ExchangeGateway.Common.Crypto.X509;
using ExchangeGateway.Config.Model;
using ExchangeGateway.Signer.Enrolment;
using ExchangeGateway.Signer.Keys;
using ExchangeGateway.Signer.Tests.Support;
using ExchangeGateway.Testing.Hosting;
using ExchangeGateway.Testing.Tools;

namespace ExchangeGateway.Signer.Tests.Enrolment;

public sealed class DevCaEnrolmentTests : IAsyncLifetime
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
    public async Task EnrolAsync_EmptyStore_GetsAuthenticationAndOwnerSigningCertificates()
    {
        var store = new SoftwareKeyStore(_dir.File("keys"));

        var result = await DevCaEnrolment.EnrolAsync(_http, _trust.BaseAddress, store, TestIdentities.Server);

        Assert.True(result.Success, result.Message);
        Assert.Equal([KeySlot.Authentication, KeySlot.ForSigning(TestIdentities.Owner)], result.Keys.Select(k => k.Slot));
        Assert.All(result.Keys, k => Assert.Equal(EnrolmentOutcome.Enrolled, k.Outcome));

        using var root = X509Certificate2.CreateFromPem(await _http.GetStringAsync(new Uri(_trust.BaseAddress, "ca/root.pem")));
        var validator = new CertificateValidator([root]);
        using var auth = store.LoadAuthenticationIdentity();
        using var signing = store.LoadSigningIdentity(TestIdentities.Owner);
        Assert.NotNull(auth);
        Assert.NotNull(signing);
        Assert.True(validator.Validate(auth.Certificate, CertificatePurpose.Authentication, DateTimeOffset.UtcNow, auth.Chain).IsValid);
        Assert.True(validator.Validate(signing.Certificate, CertificatePurpose.Signing, DateTimeOffset.UtcNow, signing.Chain).IsValid);
        Assert.IsAssignableFrom<ECDsa>(signing.PrivateKey);
        Assert.Equal(result.Keys[0].CertificateSha256, auth.CertificateSha256);

        // The Central Server maps an owner's signing certificate to its member with the CA's profile;
        // the authentication certificate names the same owner, never another member.
        Assert.Equal(TestIdentities.Owner, CertificateSubjectProfile.Default.TryGetMember(signing.Certificate.SubjectName, "DEV").Value);
        Assert.Equal(TestIdentities.Owner, CertificateSubjectProfile.Default.TryGetMember(auth.Certificate.SubjectName, "DEV").Value);
        Assert.Contains("OU=ss1", auth.Certificate.Subject, StringComparison.Ordinal);
        Assert.False(validator.Validate(auth.Certificate, CertificatePurpose.Signing, DateTimeOffset.UtcNow, auth.Chain).IsValid);

        if (!OperatingSystem.IsWindows())
        {
            foreach (var slot in new[] { KeySlot.Authentication, KeySlot.ForSigning(TestIdentities.Owner) })
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(store.KeyPath(slot)));
            }
        }
    }

    [Fact]
    public async Task EnrolAsync_AlreadyEnrolled_ChangesNothing()
    {
        var store = new SoftwareKeyStore(_dir.File("keys"));
        Assert.True((await DevCaEnrolment.EnrolAsync(_http, _trust.BaseAddress, store, TestIdentities.Server)).Success);
        var before = Directory.GetFiles(store.Directory).Order(StringComparer.Ordinal).ToDictionary(f => f, File.ReadAllBytes);
        var issuedBefore = await _http.GetStringAsync(new Uri(_trust.BaseAddress, "ca/certificates"));

        var again = await DevCaEnrolment.EnrolAsync(_http, _trust.BaseAddress, store, TestIdentities.Server);

        Assert.True(again.Success, again.Message);
        Assert.All(again.Keys, k => Assert.Equal(EnrolmentOutcome.AlreadyEnrolled, k.Outcome));
        var after = Directory.GetFiles(store.Directory).Order(StringComparer.Ordinal).ToDictionary(f => f, File.ReadAllBytes);
        Assert.Equal(before.Keys, after.Keys);
        Assert.All(before, kv => Assert.Equal(kv.Value, after[kv.Key]));
        Assert.Equal(issuedBefore, await _http.GetStringAsync(new Uri(_trust.BaseAddress, "ca/certificates")));
    }

    [Fact]
    public async Task EnrolAsync_KeyWithoutCertificate_CertifiesTheExistingKey()
    {
        var store = new SoftwareKeyStore(_dir.File("keys"));
        byte[] publicKey;
        using (var key = store.CreateKey(KeySlot.Authentication))
        {
            publicKey = key.ExportSubjectPublicKeyInfo();
        }

        var result = await DevCaEnrolment.EnrolAsync(_http, _trust.BaseAddress, store, TestIdentities.Server);

        Assert.True(result.Success, result.Message);
        using var auth = store.LoadAuthenticationIdentity();
        Assert.Equal(publicKey, auth!.Certificate.PublicKey.ExportSubjectPublicKeyInfo());
    }

    [Fact]
    public async Task EnrolSigningAsync_AnotherMemberWithRsa_GetsItsOwnCertificate()
    {
        var store = new SoftwareKeyStore(_dir.File("keys"));

        var result = await DevCaEnrolment.EnrolSigningAsync(_http, _trust.BaseAddress, store, TestIdentities.Other, new EnrolmentOptions { Algorithm = KeyAlgorithm.Rsa2048 });

        Assert.True(result.Success, result.Message);
        using var identity = store.LoadSigningIdentity(TestIdentities.Other);
        Assert.Equal(2048, Assert.IsAssignableFrom<RSA>(identity!.PrivateKey).KeySize);
        Assert.Equal(TestIdentities.Other, CertificateSubjectProfile.Default.TryGetMember(identity.Certificate.SubjectName, "DEV").Value);
        Assert.Equal([TestIdentities.Other], store.ListSigningMembers());
        Assert.False(store.HasKey(KeySlot.Authentication));
    }

    [Fact]
    public async Task EnrolAsync_CaUnreachable_FailsWithinTheTimeoutAndKeepsTheKey()
    {
        var store = new SoftwareKeyStore(_dir.File("keys"));
        var closed = new Uri("http://127.0.0.1:1/");

        var result = await DevCaEnrolment.EnrolAsync(_http, closed, store, TestIdentities.Server, new EnrolmentOptions { RequestTimeout = TimeSpan.FromSeconds(5) });

        Assert.False(result.Success);
        Assert.Equal(SignerErrors.CaUnavailable, result.ErrorCode);
        Assert.Empty(result.Keys);

        // The key generated before the failure is reused by the next attempt.
        Assert.True(store.HasKey(KeySlot.Authentication));
        Assert.False(store.HasCertificate(KeySlot.Authentication));
    }

    [Fact]
    public async Task EnrolAsync_CaRefuses_ReportsTheRefusal()
    {
        var store = new SoftwareKeyStore(_dir.File("keys"));
        using var refusing = new HttpClient(new StubHandler(_ => (HttpStatusCode.BadRequest, "{\"code\":\"ca.invalid_csr\"}")));

        var result = await DevCaEnrolment.EnrolAsync(refusing, new Uri("http://ca.invalid/"), store, TestIdentities.Server);

        Assert.False(result.Success);
        Assert.Equal(SignerErrors.CaRejected, result.ErrorCode);
        Assert.Contains("ca.invalid_csr", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnrolAsync_CaAnswersWithAnotherKeysCertificate_IsRefused()
    {
        var store = new SoftwareKeyStore(_dir.File("keys"));
        using var pki = Testing.Pki.TestPki.Create();
        var foreign = pki.IssueAuthentication("DEV", "GOV", "70000001", "ss1");
        using var lying = new HttpClient(new StubHandler(request => request.Method == HttpMethod.Post
            ? (HttpStatusCode.Created, foreign.ExportCertificatePem())
            : (HttpStatusCode.OK, request.RequestUri!.AbsolutePath.EndsWith("root.pem", StringComparison.Ordinal) ? pki.RootCertificate.ExportCertificatePem() : pki.IntermediateCertificate.ExportCertificatePem())));

        var result = await DevCaEnrolment.EnrolAsync(lying, new Uri("http://ca.invalid/"), store, TestIdentities.Server);

        Assert.False(result.Success);
        Assert.Equal(SignerErrors.InvalidCertificate, result.ErrorCode);
        Assert.False(store.HasCertificate(KeySlot.Authentication));
    }

    private sealed class StubHandler(Func<HttpRequestMessage, (HttpStatusCode Status, string Body)> answer) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var (status, body) = answer(request);
            return Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent(body) });
        }
    }
}
