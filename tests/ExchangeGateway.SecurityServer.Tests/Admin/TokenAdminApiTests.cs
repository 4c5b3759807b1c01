using System.Net;
using System.Net.Http.Headers;
using System.Text;
using ExchangeGateway.SecurityServer.Admin;
using ExchangeGateway.SecurityServer.Onboarding;
using ExchangeGateway.SecurityServer.Tests.Registry;
using ExchangeGateway.Signer.Tokens;
using ExchangeGateway.Testing.Pki;
using ExchangeGateway.Testing.Time;
using ExchangeGateway.Testing.Tools;
using ExchangeGateway.TrustServices.Ca;
using Microsoft.Extensions.DependencyInjection;
using static ExchangeGateway.SecurityServer.Tests.Admin.RegistryAdminApiTests;

namespace ExchangeGateway.SecurityServer.Tests.Admin;

/// <summary>
/// Initialisation, the token, keys, CSRs and certificates over HTTP on a real host with a real
/// <see cref="SoftwareToken"/> in a temporary directory (few PBKDF2 iterations, 3 wrong PINs lock it for 10 minutes).
/// </summary>
public sealed class TokenAdminApiTests : IAsyncLifetime
{
    private const string Pin = "Correct-Horse-42";
    private const string WrongPin = "Wrong-Horse-4242";

    private readonly TempDirectory _dir = new();
    private readonly ManualTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly RecordingOnboarding _onboarding = new();
    private TestPki _pki = null!;
    private HttpClient _downloads = null!;
    private Config.Client.ConfigurationClient _configuration = null!;
    private AdminTestHost _host = null!;
    private SoftwareToken _token = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _pki = TestPki.Create(_time);
        _token = new SoftwareToken(
            new SoftwareTokenOptions { Directory = _dir.File("keys"), Pbkdf2Iterations = 1000, Policy = new PinPolicy { MaxFailedAttempts = 3, LockoutDuration = TimeSpan.FromMinutes(10) } },
            _time);
        _downloads = new HttpClient();
        _configuration = new Config.Client.ConfigurationClient(
            Config.Anchors.ConfigurationAnchor.Create("DEV", ["http://127.0.0.1:1/globalconf"], [_pki.RootCertificate]),
            _downloads,
            new Config.Client.ConfigurationClientOptions { StorageDirectory = _dir.File("globalconf") });
        _host = await AdminTestHost.StartAsync(_dir.Path, builder =>
        {
            builder.Configuration["SecurityServer:Admin:RateLimitBurst"] = "100000";
            builder.Services.AddSingleton<TimeProvider>(_time);
            builder.Services.AddSingleton(_configuration);
            builder.Services.AddSingleton(_token);
            builder.Services.AddSingleton<IOnboarding>(_onboarding);
        });
        _http = _host.Client(_host.CreateKey(AdminRole.SystemAdministrator));
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _host.DisposeAsync();
        _configuration.Dispose();
        _downloads.Dispose();
        _token.Dispose();
        _pki.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task Initialisation_CreatesServerconfAndThePin_OnceOnly_BadInputChangesNothing()
    {
        var status = (await Json(await _http.GetAsync("api/v1/initialisation"))).RootElement;
        Assert.False(status.GetProperty("initialised").GetBoolean());
        Assert.Equal("uninitialised", status.GetProperty("tokenStatus").GetString());

        await AssertProblem(await _http.PostAsync("api/v1/initialisation", Body("""{"ownerMemberId":"DEV/GOV/70000001","serverCode":"ss1","pin":"short"}""")), HttpStatusCode.BadRequest, "signer.pin_policy");
        await AssertProblem(await _http.PostAsync("api/v1/initialisation", Body($$"""{"ownerMemberId":"DEV/GOV","serverCode":"ss1","pin":"{{Pin}}"}""")), HttpStatusCode.BadRequest, "client.invalid_identifier");
        await AssertProblem(await _http.PostAsync("api/v1/initialisation", Body($$"""{"ownerMemberId":"DEV/GOV/70000001","serverCode":"s/1","pin":"{{Pin}}"}""")), HttpStatusCode.BadRequest, "client.invalid_identifier");
        await AssertProblem(await _http.PostAsync("api/v1/initialisation", Body("""{"ownerMemberId":"DEV/GOV/70000001","serverCode":"ss1"}""")), HttpStatusCode.BadRequest, "request.invalid");
        var wrongInstance = await AssertProblem(await _http.PostAsync("api/v1/initialisation", Body($$"""{"ownerMemberId":"EE/GOV/70000001","serverCode":"ss1","pin":"{{Pin}}"}""")), HttpStatusCode.BadRequest, "request.invalid");
        Assert.Contains("anchor is for instance DEV", wrongInstance.GetProperty("detail").GetString(), StringComparison.Ordinal);
        using var observer = _host.Client(_host.CreateKey(AdminRole.Observer));
        await AssertProblem(await observer.PostAsync("api/v1/initialisation", Body($$"""{"ownerMemberId":"DEV/GOV/70000001","serverCode":"ss1","pin":"{{Pin}}"}""")), HttpStatusCode.Forbidden, "admin.forbidden");
        Assert.False(File.Exists(_host.Store.FilePath));
        Assert.Null(_host.Store.Current);
        Assert.Equal(TokenStatus.Uninitialised, _token.Status);

        using var created = await _http.PostAsync("api/v1/initialisation", Body($$"""{"ownerMemberId":"DEV/GOV/70000001","serverCode":"ss1","pin":"{{Pin}}"}"""));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = (await Json(created)).RootElement;
        Assert.Equal(("DEV/GOV/70000001/ss1", "logged-in"), (body.GetProperty("serverId").GetString(), body.GetProperty("tokenStatus").GetString()));
        Assert.Equal("DEV/GOV/70000001/ss1", _host.Store.Current!.ServerId.ToString());
        Assert.Contains("\"serverId\": \"DEV/GOV/70000001/ss1\"", await File.ReadAllTextAsync(_host.Store.FilePath), StringComparison.Ordinal);
        Assert.Equal(TokenStatus.LoggedIn, _token.Status);

        var bytes = await File.ReadAllBytesAsync(_host.Store.FilePath);
        await AssertProblem(await _http.PostAsync("api/v1/initialisation", Body($$"""{"ownerMemberId":"DEV/GOV/70000002","serverCode":"ss2","pin":"{{Pin}}"}""")), HttpStatusCode.Conflict, "admin.already_initialised");
        Assert.Equal(bytes, await File.ReadAllBytesAsync(_host.Store.FilePath));
        Assert.True((await Json(await _http.GetAsync("api/v1/initialisation"))).RootElement.GetProperty("initialised").GetBoolean());
    }

    [Fact]
    public async Task WrongPin_Is403_ThenLockedOut423_EvenForTheRightPin_UntilTheLockoutEnds()
    {
        await InitialiseAsync();
        Assert.Equal("logged-out", (await Json(await _http.PostAsync("api/v1/tokens/0/logout", null))).RootElement.GetProperty("status").GetString());

        for (var i = 1; i <= 2; i++)
        {
            await AssertProblem(await _http.PostAsync("api/v1/tokens/0/login", Body($$"""{"pin":"{{WrongPin}}"}""")), HttpStatusCode.Forbidden, "signer.wrong_pin");
            Assert.Equal(i, (await Json(await _http.GetAsync("api/v1/tokens/0"))).RootElement.GetProperty("failedAttempts").GetInt32());
        }

        await AssertProblem(await _http.PostAsync("api/v1/tokens/0/login", Body($$"""{"pin":"{{WrongPin}}"}""")), HttpStatusCode.Locked, "signer.token_locked_out");
        await AssertProblem(await _http.PostAsync("api/v1/tokens/0/login", Body($$"""{"pin":"{{Pin}}"}""")), HttpStatusCode.Locked, "signer.token_locked_out");
        var token = (await Json(await _http.GetAsync("api/v1/tokens"))).RootElement[0];
        Assert.Equal("locked-out", token.GetProperty("status").GetString());
        Assert.Equal(_time.GetUtcNow().AddMinutes(10), token.GetProperty("lockedUntil").GetDateTimeOffset(), TimeSpan.FromSeconds(1));
        Assert.Equal(TokenStatus.LockedOut, _token.Status);

        _time.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1));
        var login = await _http.PostAsync("api/v1/tokens/0/login", Body($$"""{"pin":"{{Pin}}"}"""));
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Equal(("logged-in", 0), ((await Json(login)).RootElement.GetProperty("status").GetString(), (await Json(login)).RootElement.GetProperty("failedAttempts").GetInt32()));
    }

    [Fact]
    public async Task ChangePin_NeedsTheOldOne_AndThePolicy()
    {
        await InitialiseAsync();
        const string NewPin = "Battery-Staple-77";

        await AssertProblem(await _http.PutAsync("api/v1/tokens/0/pin", Body($$"""{"oldPin":"{{WrongPin}}","newPin":"{{NewPin}}"}""")), HttpStatusCode.Forbidden, "signer.wrong_pin");
        await AssertProblem(await _http.PutAsync("api/v1/tokens/0/pin", Body($$"""{"oldPin":"{{Pin}}","newPin":"weak"}""")), HttpStatusCode.BadRequest, "signer.pin_policy");
        Assert.Equal(HttpStatusCode.OK, (await _http.PutAsync("api/v1/tokens/0/pin", Body($$"""{"oldPin":"{{Pin}}","newPin":"{{NewPin}}"}"""))).StatusCode);

        _token.Logout();
        await AssertProblem(await _http.PostAsync("api/v1/tokens/0/login", Body($$"""{"pin":"{{Pin}}"}""")), HttpStatusCode.Forbidden, "signer.wrong_pin");
        Assert.Equal(HttpStatusCode.OK, (await _http.PostAsync("api/v1/tokens/0/login", Body($$"""{"pin":"{{NewPin}}"}"""))).StatusCode);
    }

    [Fact]
    public async Task Keys_CsrCertificate_Lifecycle()
    {
        await InitialiseAsync();

        // Keys: an authentication key, and a signing key that defaults to the owner.
        var authKey = (await Json(await Created(_http.PostAsync("api/v1/tokens/0/keys", Body("""{"usage":"authentication","friendlyName":"tls"}"""))))).RootElement;
        Assert.Equal(("authentication", "ecdsa-p256"), (authKey.GetProperty("usage").GetString(), authKey.GetProperty("algorithm").GetString()));
        var signKey = (await Json(await Created(_http.PostAsync("api/v1/tokens/0/keys", Body("""{"usage":"signing","friendlyName":"sign","algorithm":"rsa-2048"}"""))))).RootElement;
        Assert.Equal(("DEV/GOV/70000001", "rsa-2048"), (signKey.GetProperty("member").GetString(), signKey.GetProperty("algorithm").GetString()));
        var authId = authKey.GetProperty("id").GetString()!;

        // Bad key requests add nothing.
        foreach (var bad in new[] { """{"usage":"tls","friendlyName":"x"}""", """{"usage":"signing","friendlyName":"x","algorithm":"dsa"}""", """{"usage":"authentication","friendlyName":"x","memberId":"DEV/GOV/70000001"}""", """{"usage":"signing","friendlyName":"x","memberId":"DEV/GOV"}""" })
        {
            var response = await _http.PostAsync("api/v1/tokens/0/keys", Body(bad));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }

        Assert.Equal(2, _token.Describe().Keys.Length);

        // Rename.
        var renamed = await _http.PatchAsync($"api/v1/keys/{authId}", Body("""{"friendlyName":"server TLS"}"""));
        Assert.Equal("server TLS", (await Json(renamed)).RootElement.GetProperty("friendlyName").GetString());

        // A CSR with the profile's subject (owner and server code), downloadable as PEM.
        var csr = (await Json(await Created(_http.PostAsync($"api/v1/keys/{authId}/csrs", Body("{}"))))).RootElement;
        Assert.Equal("C=DEV, O=GOV, OU=ss1, CN=70000001", csr.GetProperty("subject").GetString());
        var csrId = csr.GetProperty("id").GetString()!;
        using var download = await _http.GetAsync($"api/v1/keys/{authId}/csrs/{csrId}");
        Assert.Equal("application/pkcs10", download.Content.Headers.ContentType!.MediaType);
        var pem = await download.Content.ReadAsStringAsync();
        Assert.StartsWith("-----BEGIN CERTIFICATE REQUEST-----", pem, StringComparison.Ordinal);
        await AssertProblem(await _http.PostAsync($"api/v1/keys/{authId}/csrs", Body("""{"memberId":"DEV/GOV/70000002"}""")), HttpStatusCode.BadRequest, "request.invalid");
        await AssertProblem(await _http.PostAsync($"api/v1/keys/{authId}/csrs", Body("""{"caName":"Nope"}""")), HttpStatusCode.ServiceUnavailable, "onboarding.no_global_configuration");

        // The CA's certificate for it imports into saved, active; the OCSP status is not tracked here.
        using var issued = _pki.Intermediate.IssueFromCsr(Encoding.ASCII.GetBytes(pem), CertificateProfile.Authentication);
        var certificate = (await Json(await Created(_http.PostAsync("api/v1/certificates", Pem(Bundle(issued)))))).RootElement;
        var certificateId = certificate.GetProperty("id").GetString()!;
        Assert.Equal(("saved", true, authId), (certificate.GetProperty("state").GetString(), certificate.GetProperty("active").GetBoolean(), certificate.GetProperty("keyId").GetString()));
        Assert.Equal(JsonValueKindNull, certificate.GetProperty("ocsp").ValueKind);
        await AssertProblem(await _http.PostAsync("api/v1/certificates", Der(issued.RawData)), HttpStatusCode.Conflict, "signer.certificate_already_exists");

        // Activation.
        Assert.False((await Json(await _http.PostAsync($"api/v1/certificates/{certificateId}/deactivate", null))).RootElement.GetProperty("active").GetBoolean());
        Assert.True((await Json(await _http.PostAsync($"api/v1/certificates/{certificateId}/activate", null))).RootElement.GetProperty("active").GetBoolean());

        // Registration goes through onboarding, with or without an address.
        using var registered = await _http.PostAsync($"api/v1/certificates/{certificateId}/register", Body("""{"address":"ss1.example.org:5500"}"""));
        Assert.Equal(HttpStatusCode.Accepted, registered.StatusCode);
        Assert.Equal("pending", (await Json(registered)).RootElement.GetProperty("requestState").GetString());
        Assert.Equal(HttpStatusCode.Accepted, (await _http.PostAsync($"api/v1/certificates/{certificateId}/register", null)).StatusCode);
        Assert.Equal(new[] { $"auth-cert-registration {certificateId} ss1.example.org:5500", $"auth-cert-registration {certificateId} -" }, _onboarding.Calls);

        // Diagnostics list it.
        var ocsp = Assert.Single((await Json(await _http.GetAsync("api/v1/diagnostics/ocsp"))).RootElement.EnumerateArray());
        Assert.Equal((certificateId, false), (ocsp.GetProperty("certificateId").GetString(), ocsp.GetProperty("tracked").GetBoolean()));

        // A key whose authentication certificate is being registered cannot be deleted.
        Assert.True(_token.SetState(certificateId, CertificateState.RegistrationInProgress).Success);
        await AssertProblem(await _http.DeleteAsync($"api/v1/keys/{authId}"), HttpStatusCode.Conflict, "signer.key_in_use");
        await AssertProblem(await _http.DeleteAsync($"api/v1/certificates/{certificateId}"), HttpStatusCode.Conflict, "signer.key_in_use");
        Assert.Equal(2, _token.Describe().Keys.Length);

        // CSR deletion; what is gone is 404 with the Signer's codes.
        Assert.Equal(HttpStatusCode.NoContent, (await _http.DeleteAsync($"api/v1/keys/{authId}/csrs/{csrId}")).StatusCode);
        await AssertProblem(await _http.GetAsync($"api/v1/keys/{authId}/csrs/{csrId}"), HttpStatusCode.NotFound, "signer.csr_not_found");
        await AssertProblem(await _http.GetAsync($"api/v1/keys/{new string('0', 32)}"), HttpStatusCode.NotFound, "signer.key_not_found");
        await AssertProblem(await _http.GetAsync($"api/v1/certificates/{new string('0', 64)}"), HttpStatusCode.NotFound, "signer.certificate_not_found");
        await AssertProblem(await _http.GetAsync("api/v1/tokens/1"), HttpStatusCode.NotFound, "signer.token_not_found");

        // The signing key can go.
        Assert.Equal(HttpStatusCode.NoContent, (await _http.DeleteAsync($"api/v1/keys/{signKey.GetProperty("id").GetString()}")).StatusCode);
        Assert.Single(_token.Describe().Keys);
    }

    [Fact]
    public async Task ImportCertificate_MatchingNoKey_Is422_WrongUsage_Is422_Garbage_Is422_AndNothingChanges()
    {
        await InitialiseAsync();
        var authId = (await Json(await Created(_http.PostAsync("api/v1/tokens/0/keys", Body("""{"usage":"authentication","friendlyName":"tls"}"""))))).RootElement.GetProperty("id").GetString()!;
        var csr = _token.CreateCsr(authId, Signer.Enrolment.CertificateSubjects.Authentication(RegistrySamples.ServerId)).Value!;
        var before = await DirectoryBytes();

        using var stranger = _pki.IssueAuthentication("DEV", "GOV", "70000001", "ss1");
        await AssertProblem(await _http.PostAsync("api/v1/certificates", Pem(Bundle(stranger))), HttpStatusCode.UnprocessableEntity, "signer.certificate_matches_no_key");

        using var signingForAuthKey = _pki.Intermediate.IssueFromCsr(csr.Der.Span, CertificateProfile.Signing);
        await AssertProblem(await _http.PostAsync("api/v1/certificates", Der(signingForAuthKey.RawData)), HttpStatusCode.UnprocessableEntity, "signer.certificate_wrong_usage");

        await AssertProblem(await _http.PostAsync("api/v1/certificates", Der([0x30, 0x03, 0x02, 0x01, 0x01])), HttpStatusCode.UnprocessableEntity, "signer.certificate_invalid");
        await AssertProblem(await _http.PostAsync("api/v1/certificates", Body("{}")), HttpStatusCode.UnsupportedMediaType, "request.unsupported_media_type");

        Assert.Empty(_token.Describe().Keys.Single().Certificates);
        Assert.Equal(before, await DirectoryBytes());
    }

    [Fact]
    public async Task LoggedOut_KeyGenerationIs409TokenNotActive()
    {
        await InitialiseAsync();
        _token.Logout();

        await AssertProblem(await _http.PostAsync("api/v1/tokens/0/keys", Body("""{"usage":"authentication","friendlyName":"tls"}""")), HttpStatusCode.Conflict, "signer.token_not_active");

        Assert.Empty(_token.Describe().Keys);
    }

    private const System.Text.Json.JsonValueKind JsonValueKindNull = System.Text.Json.JsonValueKind.Null;

    private async Task InitialiseAsync() =>
        Assert.Equal(HttpStatusCode.Created, (await _http.PostAsync("api/v1/initialisation", Body($$"""{"ownerMemberId":"DEV/GOV/70000001","serverCode":"ss1","pin":"{{Pin}}"}"""))).StatusCode);

    private static async Task<HttpResponseMessage> Created(Task<HttpResponseMessage> sending)
    {
        var response = await sending;
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return response;
    }

    private string Bundle(System.Security.Cryptography.X509Certificates.X509Certificate2 leaf) =>
        leaf.ExportCertificatePem() + "\n" + _pki.IntermediateCertificate.ExportCertificatePem() + "\n" + _pki.RootCertificate.ExportCertificatePem() + "\n";

    private static StringContent Pem(string text) => new(text, Encoding.ASCII, "application/x-pem-file");

    private static ByteArrayContent Der(byte[] der)
    {
        var content = new ByteArrayContent(der);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/pkix-cert");
        return content;
    }

    // Every file of the token directory, for "nothing changed" checks.
    private async Task<string> DirectoryBytes()
    {
        var parts = new List<string>();
        foreach (var file in Directory.GetFiles(_token.Directory).Order(StringComparer.Ordinal))
        {
            parts.Add(Path.GetFileName(file) + ":" + Convert.ToHexString(await File.ReadAllBytesAsync(file)));
        }

        return string.Join("\n", parts);
    }
}
