using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using ExchangeGateway.Common.Identifiers;
using ExchangeGateway.SecurityServer.Admin;
using ExchangeGateway.SecurityServer.Onboarding;
using ExchangeGateway.SecurityServer.Registry;
using ExchangeGateway.SecurityServer.Tests.Registry;
using ExchangeGateway.Testing.Pki;
using ExchangeGateway.Testing.Tools;
using Microsoft.Extensions.DependencyInjection;
using static ExchangeGateway.SecurityServer.Tests.Admin.RegistryAdminApiTests;

namespace ExchangeGateway.SecurityServer.Tests.Admin;

/// <summary>Client lifecycle over HTTP on a real host: add, registration requests through onboarding (a recording double), connection type and IS certificates.</summary>
public sealed class ClientAdminApiTests : IAsyncLifetime
{
    private const string Consumer = "DEV%2FGOV%2F70000001%2Fconsumer";
    private const string Hospital = "DEV%2FGOV%2F70000001%2Fhospital";

    private readonly TempDirectory _dir = new();
    private readonly RecordingOnboarding _onboarding = new();
    private AdminTestHost _host = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        await File.WriteAllTextAsync(_dir.File("serverconf.json"), RegistrySamples.ContractExample);
        _host = await AdminTestHost.StartAsync(_dir.Path, builder =>
        {
            builder.Configuration["SecurityServer:Admin:RateLimitBurst"] = "100000";
            builder.Services.AddSingleton<IOnboarding>(_onboarding);
        });
        _http = _host.Client(_host.CreateKey(AdminRole.RegistrationOfficer));
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _host.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task AddClient_IsSaved_201_OnceOnly_BadBodiesChangeNothing()
    {
        using var created = await _http.PostAsync("api/v1/clients", Body("""{"id":"DEV/GOV/70000001/hospital","connectionType":"https"}"""));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal($"/api/v1/clients/{Hospital}", created.Headers.Location!.OriginalString);
        var client = (await Json(created)).RootElement;
        Assert.Equal(("DEV/GOV/70000001/hospital", "https"), (client.GetProperty("id").GetString(), client.GetProperty("connectionType").GetString()));
        var stored = _host.Store.Current!.FindClient(ClientId.Parse("DEV/GOV/70000001/hospital"))!;
        Assert.Equal(ClientStatus.Saved, stored.Status);

        var bytes = await File.ReadAllBytesAsync(_host.Store.FilePath);
        await AssertProblem(await _http.PostAsync("api/v1/clients", Body("""{"id":"DEV/GOV/70000001/hospital"}""")), HttpStatusCode.Conflict, "registry.conflict");
        foreach (var bad in new[] { "{}", """{"id":"DEV/GOV"}""", """{"id":"EE/GOV/1/x"}""", """{"id":"DEV/GOV/70000001/x","connectionType":"ftp"}""", """{"id":"DEV/GOV/70000001/x","extra":1}""" })
        {
            await AssertProblem(await _http.PostAsync("api/v1/clients", Body(bad)), HttpStatusCode.BadRequest, "request.invalid");
        }

        Assert.Equal(bytes, await File.ReadAllBytesAsync(_host.Store.FilePath));
    }

    [Theory]
    [InlineData("register", "client-registration")]
    [InlineData("unregister", "client-deletion")]
    [InlineData("disable", "client-disable")]
    [InlineData("enable", "client-enable")]
    public async Task RegistrationRequests_GoThroughOnboarding_202(string verb, string type)
    {
        using var response = await _http.PostAsync($"api/v1/clients/{Consumer}/{verb}", null);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = (await Json(response)).RootElement;
        Assert.Equal(("00000000-0000-0000-0000-000000000001", "pending"), (body.GetProperty("requestId").GetString(), body.GetProperty("requestState").GetString()));
        Assert.Equal($"{type} DEV/GOV/70000001/consumer", Assert.Single(_onboarding.Calls));
    }

    [Theory]
    [InlineData("onboarding.central_server_rejected", HttpStatusCode.BadGateway)]
    [InlineData("onboarding.central_server_unreachable", HttpStatusCode.BadGateway)]
    [InlineData("onboarding.invalid_state", HttpStatusCode.Conflict)]
    [InlineData("onboarding.no_signing_certificate", HttpStatusCode.Conflict)]
    [InlineData("onboarding.token_not_active", HttpStatusCode.Conflict)]
    [InlineData("onboarding.not_found", HttpStatusCode.NotFound)]
    [InlineData("onboarding.no_global_configuration", HttpStatusCode.ServiceUnavailable)]
    public async Task OnboardingFailures_KeepTheirCodes_WithTheContractsStatus(string code, HttpStatusCode status)
    {
        _onboarding.Failure = new OnboardingResult { Code = code, Message = "because: management.invalid_proof_of_possession" };

        var problem = await AssertProblem(await _http.PostAsync($"api/v1/clients/{Consumer}/register", null), status, code);

        Assert.Equal("because: management.invalid_proof_of_possession", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Register_UnknownClient_Is404_AndOnboardingIsNotAsked()
    {
        await AssertProblem(await _http.PostAsync($"api/v1/clients/{Hospital}/register", null), HttpStatusCode.NotFound, "registry.not_found");
        await AssertProblem(await _http.PostAsync("api/v1/clients/DEV%2FGOV/register", null), HttpStatusCode.BadRequest, "client.invalid_identifier");

        Assert.Empty(_onboarding.Calls);
    }

    [Fact]
    public async Task OwnerChange_GoesThroughOnboarding_TheOwnerItselfIsRefused()
    {
        Assert.Equal(HttpStatusCode.Accepted, (await _http.PutAsync("api/v1/system/owner", Body("""{"memberId":"DEV/GOV/70000002"}"""))).StatusCode);
        await AssertProblem(await _http.PutAsync("api/v1/system/owner", Body("""{"memberId":"DEV/GOV/70000001"}""")), HttpStatusCode.BadRequest, "request.invalid");
        await AssertProblem(await _http.PutAsync("api/v1/system/owner", Body("""{"memberId":"DEV"}""")), HttpStatusCode.BadRequest, "client.invalid_identifier");

        Assert.Equal("owner-change DEV/GOV/70000002", Assert.Single(_onboarding.Calls));
    }

    [Fact]
    public async Task ConnectionType_IsSet_BadValueChangesNothing()
    {
        var response = await _http.PutAsync($"api/v1/clients/{Consumer}/connection-type", Body("""{"connectionType":"https-certificate"}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(ConnectionType.HttpsCertificate, _host.Store.Current!.FindClient(ClientId.Parse("DEV/GOV/70000001/consumer"))!.ConnectionType);
        var before = _host.Store.Current;
        await AssertProblem(await _http.PutAsync($"api/v1/clients/{Consumer}/connection-type", Body("""{"connectionType":"none"}""")), HttpStatusCode.BadRequest, "request.invalid");
        await AssertProblem(await _http.PutAsync($"api/v1/clients/{Hospital}/connection-type", Body("""{"connectionType":"http"}""")), HttpStatusCode.NotFound, "registry.not_found");
        Assert.Same(before, _host.Store.Current);
    }

    [Fact]
    public async Task IsCertificates_AddPemAndDer_ListByHash_Remove_BadInputChangesNothing()
    {
        using var pki = TestPki.Create();
        using var first = pki.Issue("CN=is-one", TrustServices.Ca.CertificateProfile.Authentication);
        using var second = pki.Issue("CN=is-two", TrustServices.Ca.CertificateProfile.Authentication);
        var firstHash = Convert.ToHexStringLower(SHA256.HashData(first.RawData));
        var secondHash = Convert.ToHexStringLower(SHA256.HashData(second.RawData));
        var consumer = ClientId.Parse("DEV/GOV/70000001/consumer");

        using var added = await _http.PostAsync($"api/v1/clients/{Consumer}/is-certificates", new StringContent(first.ExportCertificatePem(), Encoding.ASCII, "application/x-pem-file"));
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        Assert.Equal(firstHash, (await Json(added)).RootElement.GetProperty("hash").GetString());
        var der = new ByteArrayContent(second.RawData);
        der.Headers.ContentType = new MediaTypeHeaderValue("application/pkix-cert");
        Assert.Equal(HttpStatusCode.Created, (await _http.PostAsync($"api/v1/clients/{Consumer}/is-certificates", der)).StatusCode);
        Assert.Equal(new[] { firstHash, secondHash }, _host.Store.Current!.FindClient(consumer)!.IsCertificateHashes.ToArray());

        var before = _host.Store.Current;
        await AssertProblem(await _http.PostAsync($"api/v1/clients/{Consumer}/is-certificates", new StringContent(first.ExportCertificatePem(), Encoding.ASCII, "application/x-pem-file")), HttpStatusCode.Conflict, "registry.conflict");
        await AssertProblem(await _http.PostAsync($"api/v1/clients/{Consumer}/is-certificates", new StringContent("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", Encoding.ASCII, "application/x-pem-file")), HttpStatusCode.BadRequest, "request.invalid");
        await AssertProblem(await _http.PostAsync($"api/v1/clients/{Consumer}/is-certificates", new StringContent(first.ExportCertificatePem(), Encoding.ASCII, "text/plain")), HttpStatusCode.UnsupportedMediaType, "request.unsupported_media_type");
        await AssertProblem(await _http.DeleteAsync($"api/v1/clients/{Consumer}/is-certificates/{new string('c', 64)}"), HttpStatusCode.NotFound, "registry.not_found");
        await AssertProblem(await _http.DeleteAsync($"api/v1/clients/{Consumer}/is-certificates/ABC"), HttpStatusCode.BadRequest, "request.invalid");
        Assert.Same(before, _host.Store.Current);

        Assert.Equal(HttpStatusCode.NoContent, (await _http.DeleteAsync($"api/v1/clients/{Consumer}/is-certificates/{firstHash}")).StatusCode);
        Assert.Equal(new[] { secondHash }, _host.Store.Current!.FindClient(consumer)!.IsCertificateHashes.ToArray());
    }
}
