using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ExchangeGateway.CentralServer.Hosting;
using ExchangeGateway.Config.Anchors;
using ExchangeGateway.Config.Client;
using ExchangeGateway.SecurityServer.Admin;
using ExchangeGateway.SecurityServer.Tests.Registry;
using ExchangeGateway.Testing.Pki;
using ExchangeGateway.Testing.Tools;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using static ExchangeGateway.SecurityServer.Tests.Admin.RegistryAdminApiTests;

namespace ExchangeGateway.SecurityServer.Tests.Admin;

/// <summary>
/// Time-stamping selection and the diagnostics over HTTP, against a global configuration published by a real
/// in-process Central Server: two approved TSAs (one listening on loopback, one not) and a peer security server
/// whose address is a TLS listener on loopback.
/// </summary>
public sealed class DiagnosticsAdminApiTests : IAsyncLifetime
{
    private const string Peer = "DEV%2FGOV%2F70000009%2Fpeer";

    private readonly TempDirectory _dir = new();
    private readonly int _csPort = FreePort();
    private readonly int _deadPort = FreePort();
    private readonly TcpListener _tsa = new(IPAddress.Loopback, 0);
    private readonly TcpListener _peer = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private TestPki _pki = null!;
    private X509Certificate2 _peerCertificate = null!;
    private WebApplication _central = null!;
    private HttpClient _downloads = null!;
    private ConfigurationClient _configuration = null!;
    private AdminTestHost _host = null!;
    private HttpClient _http = null!;
    private Task _peerLoop = Task.CompletedTask;

    public async Task InitializeAsync()
    {
        _pki = TestPki.Create();
        _tsa.Start();
        _peer.Start();
        _peerCertificate = _pki.IssueAuthentication("DEV", "GOV", "70000009", "peer");
        _peerLoop = ServePeerAsync();

        var console = new StringWriter();
        _central = CentralServerHost.Build(
            [
                $"--urls=http://127.0.0.1:{_csPort}",
                $"--CentralServer:DataDirectory={_dir.File("central")}",
                "--CentralServer:InstanceId=DEV",
                $"--CentralServer:Publication:ConfigurationUrl=http://127.0.0.1:{_csPort}",
                "--Logging:LogLevel:Default=Warning",
            ],
            b => b.Services.AddSingleton(new ConsoleOutput(console)));
        await _central.StartAsync();
        var key = console.ToString().Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith("API key:", StringComparison.Ordinal))["API key:".Length..].Trim();
        using (var cs = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_csPort}/") })
        {
            cs.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("X-Api-Key", key);
            await Expect(cs.PostAsJsonAsync("api/v1/member-classes", new { code = "GOV", description = "Government" }));
            await Expect(cs.PostAsJsonAsync("api/v1/members", new { id = "DEV/GOV/70000009", name = "Peer" }));
            await Expect(cs.PostAsJsonAsync("api/v1/security-servers", new { id = "DEV/GOV/70000009/peer", address = $"127.0.0.1:{Port(_peer)}" }));
            await Expect(cs.PostAsJsonAsync("api/v1/timestamping-authorities", new { name = "Local TSA", url = $"http://127.0.0.1:{Port(_tsa)}/", certificate = _pki.Tsa.ExportCertificatePem() }));
            await Expect(cs.PostAsJsonAsync("api/v1/timestamping-authorities", new { name = "Dead TSA", url = $"http://127.0.0.1:{_deadPort}/", certificate = _pki.Issue("CN=Dead TSA, O=ExchangeGateway Test", TrustServices.Ca.CertificateProfile.TimeStamping).ExportCertificatePem() }));
            await Expect(cs.PostAsync("api/v1/configuration/generate", null));
            var anchor = ConfigurationAnchorSerializer.Read(await cs.GetByteArrayAsync("api/v1/anchor")).GetValueOrThrow();
            _downloads = new HttpClient();
            _configuration = new ConfigurationClient(anchor, _downloads, new ConfigurationClientOptions { StorageDirectory = _dir.File("globalconf") });
        }

        Assert.True((await _configuration.PollOnceAsync()).IsValid);
        await File.WriteAllTextAsync(_dir.File("serverconf.json"), RegistrySamples.ContractExample);
        _host = await AdminTestHost.StartAsync(_dir.Path, builder =>
        {
            builder.Configuration["SecurityServer:Admin:RateLimitBurst"] = "100000";
            builder.Services.AddSingleton(_configuration);
        });
        _http = _host.Client(_host.CreateKey(AdminRole.SystemAdministrator));
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        _tsa.Stop();
        _peer.Stop();
        await _peerLoop;
        _http.Dispose();
        await _host.DisposeAsync();
        _configuration.Dispose();
        _downloads.Dispose();
        await _central.StopAsync();
        await _central.DisposeAsync();
        _pki.Dispose();
        _stop.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task Tsas_ApprovedAndSelected_ProbedForReachability()
    {
        var approved = (await Json(await _http.GetAsync("api/v1/timestamping-services/approved"))).RootElement;
        Assert.Equal(["Dead TSA", "Local TSA"], approved.EnumerateArray().Select(t => t.GetProperty("name").GetString()).Order(StringComparer.Ordinal));

        // Nothing selected: every approved TSA is probed.
        var all = (await Json(await _http.GetAsync("api/v1/diagnostics/timestamping"))).RootElement.GetProperty("services");
        Assert.Equal(2, all.GetArrayLength());
        var live = all.EnumerateArray().Single(s => s.GetProperty("name").GetString() == "Local TSA");
        var dead = all.EnumerateArray().Single(s => s.GetProperty("name").GetString() == "Dead TSA");
        Assert.True(live.GetProperty("reachable").GetBoolean());
        Assert.Equal(JsonNull, live.GetProperty("error").ValueKind);
        Assert.False(dead.GetProperty("reachable").GetBoolean());
        Assert.Equal("connect: ConnectionRefused", dead.GetProperty("error").GetString());

        // Selecting one: only names the configuration approves, once each.
        using var added = await _http.PostAsync("api/v1/system/timestamping-services", Body("""{"name":"Local TSA"}"""));
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        await AssertProblem(await _http.PostAsync("api/v1/system/timestamping-services", Body("""{"name":"Local TSA"}""")), HttpStatusCode.Conflict, "registry.conflict");
        await AssertProblem(await _http.PostAsync("api/v1/system/timestamping-services", Body("""{"name":"Other TSA"}""")), HttpStatusCode.NotFound, "registry.not_found");
        await AssertProblem(await _http.PostAsync("api/v1/system/timestamping-services", Body("""{"name":""}""")), HttpStatusCode.BadRequest, "request.invalid");
        var selected = Assert.Single((await Json(await _http.GetAsync("api/v1/system/timestamping-services"))).RootElement.EnumerateArray());
        Assert.Equal($"http://127.0.0.1:{Port(_tsa)}/", selected.GetProperty("url").GetString());
        Assert.Equal(["Local TSA"], new TimestampingSelection(_dir.Path).Names);

        var probed = Assert.Single((await Json(await _http.GetAsync("api/v1/diagnostics/timestamping"))).RootElement.GetProperty("services").EnumerateArray());
        Assert.Equal(("Local TSA", true), (probed.GetProperty("name").GetString(), probed.GetProperty("reachable").GetBoolean()));

        Assert.Equal(HttpStatusCode.NoContent, (await _http.DeleteAsync("api/v1/system/timestamping-services/Local%20TSA")).StatusCode);
        Assert.Empty(new TimestampingSelection(_dir.Path).Names);
    }

    [Fact]
    public async Task Peer_TcpAndTlsProbed_CertificateComparedWithTheGlobalConfiguration()
    {
        var probe = (await Json(await _http.GetAsync($"api/v1/diagnostics/peers/{Peer}"))).RootElement;

        Assert.True(probe.GetProperty("tcp").GetBoolean());
        Assert.True(probe.GetProperty("tls").GetBoolean(), probe.GetProperty("error").ToString());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(_peerCertificate.RawData)), probe.GetProperty("peerCertificateSha256").GetString());

        // The peer's authentication certificate was never registered: it answers, but it is not the server the configuration names.
        Assert.False(probe.GetProperty("peerCertificateRegistered").GetBoolean());
        Assert.False(probe.GetProperty("reachable").GetBoolean());
        Assert.Contains("not registered", probe.GetProperty("error").GetString(), StringComparison.Ordinal);

        await AssertProblem(await _http.GetAsync("api/v1/diagnostics/peers/DEV%2FGOV%2F70000009%2Fother"), HttpStatusCode.NotFound, "registry.not_found");
    }

    [Fact]
    public async Task GlobalConfiguration_ShowsTheHeldSerialAndWhatItCarries()
    {
        var diagnostics = (await Json(await _http.GetAsync("api/v1/diagnostics/global-configuration"))).RootElement;

        Assert.True(diagnostics.GetProperty("valid").GetBoolean());
        Assert.Equal(_configuration.Current!.Serial, diagnostics.GetProperty("serial").GetInt64());
        Assert.Equal((2, 1), (diagnostics.GetProperty("approvedTsas").GetInt32(), diagnostics.GetProperty("securityServers").GetInt32()));
    }

    [Fact]
    public async Task ConfigurationClient_ReplacedAnchor_IsUsedFromTheNextDownload_SameInstanceOnly()
    {
        var good = _configuration.Anchor;
        var dead = new ConfigurationAnchor(good.InstanceId, [$"http://127.0.0.1:{_deadPort}/"], good.Certificates);
        using var downloads = new HttpClient();
        using var client = new ConfigurationClient(dead, downloads, new ConfigurationClientOptions { StorageDirectory = _dir.File("replaced") });
        Assert.False((await client.PollOnceAsync()).IsValid);

        var other = new ConfigurationAnchor("EE", good.DownloadUrls, good.Certificates);
        Assert.Throws<ArgumentException>(() => client.ReplaceAnchor(other));
        Assert.Same(dead, client.Anchor);

        client.ReplaceAnchor(good);
        Assert.True((await client.PollOnceAsync()).IsValid);
        Assert.Equal(_configuration.Current!.Serial, client.Current!.Serial);
    }

    private const System.Text.Json.JsonValueKind JsonNull = System.Text.Json.JsonValueKind.Null;

    // A TLS server on the peer's address: accepts, shakes hands with its authentication certificate, closes.
    private async Task ServePeerAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _peer.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            using (client)
            {
                var ssl = new SslStream(client.GetStream());
                await using (ssl)
                {
                    try
                    {
                        await ssl.AuthenticateAsServerAsync(
                            new SslServerAuthenticationOptions { ServerCertificate = _peerCertificate, ClientCertificateRequired = false },
                            _stop.Token);
                    }
                    catch (Exception ex) when (ex is OperationCanceledException or IOException or System.Security.Authentication.AuthenticationException)
                    {
                        // The probe closes right after the handshake; nothing to serve.
                    }
                }
            }
        }
    }

    private static async Task Expect(Task<HttpResponseMessage> sending)
    {
        using var response = await sending;
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    private static int Port(TcpListener listener) => ((IPEndPoint)listener.LocalEndpoint).Port;

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
