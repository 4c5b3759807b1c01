using System.Net;
using ExchangeGateway.Config.Anchors;
using ExchangeGateway.Config.Client;
using ExchangeGateway.SecurityServer.Admin;
using ExchangeGateway.SecurityServer.Hosting;
using ExchangeGateway.SecurityServer.Onboarding;
using ExchangeGateway.SecurityServer.Tests.Registry;
using ExchangeGateway.Testing.Pki;
using ExchangeGateway.Testing.Tools;
using Microsoft.Extensions.DependencyInjection;
using static ExchangeGateway.SecurityServer.Tests.Admin.RegistryAdminApiTests;

namespace ExchangeGateway.SecurityServer.Tests.Admin;

/// <summary>Server-wide endpoints over HTTP on a real host: the anchor, the server's identity and address, time-stamping selection, and components a host may lack.</summary>
public sealed class SystemAdminApiTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private readonly RecordingOnboarding _onboarding = new();
    private TestPki _pki = null!;
    private ConfigurationClient _configuration = null!;
    private HttpClient _downloads = null!;
    private AdminTestHost _host = null!;
    private HttpClient _http = null!;

    private string AnchorPath => _dir.File("anchor.json");

    public async Task InitializeAsync()
    {
        _pki = TestPki.Create();
        var anchor = Anchor("DEV", "http://127.0.0.1:1/globalconf");
        await File.WriteAllBytesAsync(AnchorPath, ConfigurationAnchorSerializer.Write(anchor));
        await File.WriteAllTextAsync(_dir.File("serverconf.json"), RegistrySamples.ContractExample);
        _downloads = new HttpClient();
        _configuration = new ConfigurationClient(anchor, _downloads, new ConfigurationClientOptions { StorageDirectory = _dir.File("globalconf") });
        _host = await AdminTestHost.StartAsync(_dir.Path, builder =>
        {
            builder.Configuration["SecurityServer:Admin:RateLimitBurst"] = "100000";
            builder.Services.Configure<SecurityServerOptions>(o =>
            {
                o.AnchorPath = AnchorPath;
                o.PublicAddress = "ss1.example.org:5500";
            });
            builder.Services.AddSingleton(_configuration);
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
        _pki.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task Anchor_ShowDownloadReplace_SameInstanceOnly()
    {
        var original = await File.ReadAllBytesAsync(AnchorPath);
        var shown = (await Json(await _http.GetAsync("api/v1/system/anchor"))).RootElement;
        Assert.Equal(("DEV", ConfigurationAnchorSerializer.Sha256Hex(original)), (shown.GetProperty("instance").GetString(), shown.GetProperty("sha256").GetString()));
        Assert.Equal("http://127.0.0.1:1/globalconf", shown.GetProperty("urls")[0].GetString());
        Assert.Equal(original, await (await _http.GetAsync("api/v1/system/anchor/download")).Content.ReadAsByteArrayAsync());

        var other = ConfigurationAnchorSerializer.Write(Anchor("EE", "http://127.0.0.1:2/globalconf"));
        await AssertProblem(await _http.PutAsync("api/v1/system/anchor", Raw(other)), HttpStatusCode.Conflict, "anchor.wrong_instance");
        await AssertProblem(await _http.PutAsync("api/v1/system/anchor", Body("""{"instanceId":"DEV"}""")), HttpStatusCode.UnprocessableEntity, "anchor.invalid");
        Assert.Equal(original, await File.ReadAllBytesAsync(AnchorPath));
        Assert.Equal("http://127.0.0.1:1/globalconf", Assert.Single(_configuration.Anchor.DownloadUrls));

        var next = ConfigurationAnchorSerializer.Write(Anchor("DEV", "http://127.0.0.1:3/globalconf"));
        using var replaced = await _http.PutAsync("api/v1/system/anchor", Raw(next));
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        Assert.Equal(ConfigurationAnchorSerializer.Sha256Hex(next), (await Json(replaced)).RootElement.GetProperty("sha256").GetString());
        Assert.Equal(next, await File.ReadAllBytesAsync(AnchorPath));
        Assert.Equal("http://127.0.0.1:3/globalconf", Assert.Single(_configuration.Anchor.DownloadUrls));
    }

    [Fact]
    public async Task Server_ShowsIdentityAndAddress_AddressChangeGoesThroughOnboarding()
    {
        var server = (await Json(await _http.GetAsync("api/v1/system/server"))).RootElement;
        Assert.Equal(
            ("DEV/GOV/70000001/ss1", "DEV/GOV/70000001", "ss1.example.org:5500", "DEV"),
            (server.GetProperty("serverId").GetString(), server.GetProperty("owner").GetString(), server.GetProperty("address").GetString(), server.GetProperty("instance").GetString()));

        Assert.Equal(HttpStatusCode.Accepted, (await _http.PutAsync("api/v1/system/address", Body("""{"address":"ss1.example.net:5500"}"""))).StatusCode);
        foreach (var bad in new[] { """{"address":""}""", """{"address":"a b"}""", """{"address":"https://x/y"}""", "{}" })
        {
            await AssertProblem(await _http.PutAsync("api/v1/system/address", Body(bad)), HttpStatusCode.BadRequest, "request.invalid");
        }

        Assert.Equal("address-change ss1.example.net:5500", Assert.Single(_onboarding.Calls));
    }

    [Fact]
    public async Task WithoutGlobalConfiguration_TsaAndPeerEndpointsSaySo_AndTheSelectionIsUnchanged()
    {
        await AssertProblem(await _http.GetAsync("api/v1/timestamping-services/approved"), HttpStatusCode.ServiceUnavailable, "onboarding.no_global_configuration");
        await AssertProblem(await _http.PostAsync("api/v1/system/timestamping-services", Body("""{"name":"TSA"}""")), HttpStatusCode.ServiceUnavailable, "onboarding.no_global_configuration");
        await AssertProblem(await _http.GetAsync("api/v1/diagnostics/peers/DEV%2FGOV%2F70000001%2Fss2"), HttpStatusCode.ServiceUnavailable, "onboarding.no_global_configuration");
        await AssertProblem(await _http.GetAsync("api/v1/diagnostics/peers/DEV%2FGOV"), HttpStatusCode.BadRequest, "client.invalid_identifier");
        await AssertProblem(await _http.DeleteAsync("api/v1/system/timestamping-services/TSA"), HttpStatusCode.NotFound, "registry.not_found");
        Assert.Equal(0, (await Json(await _http.GetAsync("api/v1/system/timestamping-services"))).RootElement.GetArrayLength());
        Assert.False(File.Exists(_dir.File(TimestampingSelection.FileName)));

        var diagnostics = (await Json(await _http.GetAsync("api/v1/diagnostics/global-configuration"))).RootElement;
        Assert.Equal(("DEV", false), (diagnostics.GetProperty("instance").GetString(), diagnostics.GetProperty("valid").GetBoolean()));
    }

    [Fact]
    public async Task ComponentsTheHostLacks_Are503AdminUnavailable()
    {
        using var auditor = _host.Client(_host.CreateKey(AdminRole.Auditor));

        await AssertProblem(await auditor.GetAsync("api/v1/message-log/status"), HttpStatusCode.ServiceUnavailable, "admin.unavailable");
        await AssertProblem(await _http.GetAsync("api/v1/tokens"), HttpStatusCode.ServiceUnavailable, "admin.unavailable");
        Assert.Equal(JsonNull, (await Json(await _http.GetAsync("api/v1/initialisation"))).RootElement.GetProperty("tokenStatus").ValueKind);
    }

    [Fact]
    public async Task ManagementRequests_EmptyBeforeTheFirst_ThenOnboardingsRecord()
    {
        Assert.Equal("[]", await (await _http.GetAsync("api/v1/management-requests")).Content.ReadAsStringAsync());

        const string Recorded = """[{"id":"1","type":"client-registration","target":"DEV/GOV/70000001/consumer","sentAt":"2026-03-01T12:00:00Z","state":"pending"}]""";
        await File.WriteAllTextAsync(_dir.File(RegistryAdminApi.ManagementRequestsFileName), Recorded);
        Assert.Equal(Recorded, await (await _http.GetAsync("api/v1/management-requests")).Content.ReadAsStringAsync());

        await File.WriteAllTextAsync(_dir.File(RegistryAdminApi.ManagementRequestsFileName), "[{");
        await AssertProblem(await _http.GetAsync("api/v1/management-requests"), HttpStatusCode.ServiceUnavailable, "admin.unavailable");
    }

    [Fact]
    public void TimestampingSelection_PersistsInOrder_AndRefusesABrokenFile()
    {
        var selection = new TimestampingSelection(_dir.Path);
        var changes = 0;
        selection.Changed += (_, _) => changes++;

        Assert.True(selection.Add("TSA 2"));
        Assert.True(selection.Add("TSA 1"));
        Assert.False(selection.Add("TSA 2"));
        Assert.True(selection.Remove("TSA 2"));
        Assert.False(selection.Remove("TSA 3"));

        Assert.Equal(3, changes);
        Assert.Equal(["TSA 1"], new TimestampingSelection(_dir.Path).Names);
        File.WriteAllText(selection.FilePath, """{"names":["a","a"]}""");
        Assert.Throws<InvalidOperationException>(() => new TimestampingSelection(_dir.Path));
        File.WriteAllText(selection.FilePath, """{"names":["a"],"x":1}""");
        Assert.Throws<InvalidOperationException>(() => new TimestampingSelection(_dir.Path));
    }

    [Theory]
    [InlineData("system-administrator", AdminRole.SystemAdministrator)]
    [InlineData("security-officer", AdminRole.SecurityOfficer)]
    [InlineData("registration-officer", AdminRole.RegistrationOfficer)]
    [InlineData("service-administrator", AdminRole.ServiceAdministrator)]
    [InlineData("observer", AdminRole.Observer)]
    [InlineData("auditor", AdminRole.Auditor)]
    public void CreateApiKeyCommand_AcceptsEachRoleName(string name, AdminRole role)
    {
        using var dir = new TempDirectory();
        using var output = new StringWriter();
        using var error = new StringWriter();

        Assert.Equal(0, CreateApiKeyCommand.Run(["create-api-key", "--role", name, "--data-directory", dir.Path], output, error));

        Assert.Equal(new[] { role }, Assert.Single(new AdminApiKeyStore(dir.Path, TimeProvider.System).List()).Roles.ToArray());
    }

    [Fact]
    public void CreateApiKeyCommand_UnknownRole_IsAUsageErrorAndCreatesNothing()
    {
        using var dir = new TempDirectory();
        using var output = new StringWriter();
        using var error = new StringWriter();

        Assert.Equal(2, CreateApiKeyCommand.Run(["create-api-key", "--role", "root", "--data-directory", dir.Path], output, error));

        Assert.Contains("auditor, observer, registration-officer, security-officer, service-administrator, system-administrator", error.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(dir.Path, AdminApiKeyStore.FileName)));
    }

    private const System.Text.Json.JsonValueKind JsonNull = System.Text.Json.JsonValueKind.Null;

    private ConfigurationAnchor Anchor(string instance, string url) => ConfigurationAnchor.Create(instance, [url], [_pki.RootCertificate]);

    private static ByteArrayContent Raw(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        return content;
    }
}
