using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using ExchangeGateway.CentralServer.Hosting;
using ExchangeGateway.SecurityServer.Admin;
using ExchangeGateway.SecurityServer.Commands;
using ExchangeGateway.SecurityServer.Hosting;
using ExchangeGateway.Testing.Hosting;
using ExchangeGateway.Testing.Tools;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace ExchangeGateway.SecurityServer.Tests.Exchange;

/// <summary>
/// A whole federation in one test process, on loopback: the real dev trust services, a Central Server
/// with auto-approval, two security servers that enrol through the dev CA and register themselves
/// through signed management requests, and a fake provider. ss1 hosts the consumer, ss2 the provider.
/// </summary>
public class Federation : IAsyncLifetime
{
    /// <summary>The body limit of both servers: above the 5 MiB attachment test, below the 10 MiB default so limit+1 stays cheap.</summary>
    public const int MaxBodyBytes = 6 * 1024 * 1024;

    public const string Consumer = "DEV/GOV/70000001/consumer";
    public const string OtherConsumer = "DEV/GOV/70000001/unlisted";

    /// <summary>A consumer that must call over HTTPS with its one registered IS certificate.</summary>
    public const string CertifiedConsumer = "DEV/GOV/70000001/certified";
    /// <summary>Local to ss1 but never registered with the Central Server (it does not even exist there).</summary>
    public const string Ghost = "DEV/GOV/70000001/ghost";
    public const string ProviderSubsystem = "DEV/ORG/70000002/provider";
    public const string Ss1 = "DEV/GOV/70000001/ss1";
    public const string Ss2 = "DEV/ORG/70000002/ss2";

    private readonly List<IAsyncDisposable> _servers = [];

    public TempDirectory Directory { get; } = new();

    private readonly Dictionary<string, string> _adminKeys = [];

    /// <summary>The certificate the certified consumer's IS presents (self-signed, as IS certificates often are).</summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2 IsCertificate { get; } = SelfSigned("CN=certified IS");

    /// <summary>Another IS certificate, not registered for anyone.</summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2 StrangerCertificate { get; } = SelfSigned("CN=stranger IS");

    private static System.Security.Cryptography.X509Certificates.X509Certificate2 SelfSigned(string subject)
    {
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest(subject, key, System.Security.Cryptography.HashAlgorithmName.SHA256);
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        return System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadPkcs12(cert.Export(System.Security.Cryptography.X509Certificates.X509ContentType.Pkcs12), null);
    }

    public TrustServicesInstance Trust { get; private set; } = null!;

    public WebApplication Central { get; private set; } = null!;

    public HttpClient CentralAdmin { get; private set; } = null!;

    public FakeProvider Provider { get; private set; } = null!;

    /// <summary>ss1's clock (shift it to expire configuration or time-stamping; put it back after).</summary>
    public OffsetTimeProvider Clock1 { get; } = new();

    /// <summary>When true the TSA the federation approved answers 503 (a gate in front of the real one).</summary>
    public bool TsaDown { get; set; }

    private LoopbackHost _tsaGate = null!;

    public string AnchorPath { get; private set; } = null!;

    /// <summary>The file holding both servers' token PIN (<see cref="TestToken.Pin"/>).</summary>
    public string PinFile => Directory.File("token.pin");

    public SecurityServerPorts Ports1 { get; } = SecurityServerPorts.Allocate();

    public SecurityServerPorts Ports2 { get; } = SecurityServerPorts.Allocate();

    public IAsyncDisposable Server1 { get; private set; } = null!;

    public IAsyncDisposable Server2 { get; private set; } = null!;

    /// <summary>An HttpClient for ss1's client proxy (the consumer IS).</summary>
    public HttpClient ClientProxy { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Provider = await FakeProvider.StartAsync();
        Trust = await TrustServicesInstance.StartAsync(Directory.File("trust"));
        var tsaForward = new HttpClient();
        _tsaGate = await LoopbackHost.StartAsync(null, app => app.Run(async context =>
        {
            if (TsaDown)
            {
                context.Response.StatusCode = 503;
                return;
            }

            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            using var content = new ByteArrayContent(body.ToArray());
            content.Headers.ContentType = new MediaTypeHeaderValue("application/timestamp-query");
            using var answer = await tsaForward.PostAsync(new Uri(Trust.BaseAddress, "tsa"), content);
            context.Response.StatusCode = (int)answer.StatusCode;
            context.Response.ContentType = answer.Content.Headers.ContentType?.ToString();
            await context.Response.Body.WriteAsync(await answer.Content.ReadAsByteArrayAsync());
        }));
        var csAdminPort = FreePort();
        var csPublicPort = FreePort();
        var console = new StringWriter();
        Central = CentralServerHost.Build(
            [
                $"--CentralServer:AdminUrl=http://127.0.0.1:{csAdminPort}",
                $"--CentralServer:DataDirectory={Directory.File("central")}",
                "--CentralServer:InstanceId=DEV",
                $"--CentralServer:Publication:ConfigurationUrl=http://127.0.0.1:{csPublicPort}",
                "--CentralServer:Publication:RefreshInterval=00:00:01",
                "--CentralServer:Management:AutoApprove=true",
                "--CentralServer:Publication:AcceptableTimeStampFailurePeriod=00:00:30",
                "--Logging:LogLevel:Default=Warning",
            ],
            b => b.Services.AddSingleton(new ConsoleOutput(console)));
        await Central.StartAsync();
        var key = console.ToString().Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith("API key:", StringComparison.Ordinal))["API key:".Length..].Trim();
        CentralAdmin = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{csAdminPort}/api/v1/") };
        CentralAdmin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("X-Api-Key", key);
        await BootstrapRegistryAsync();
        await File.WriteAllTextAsync(PinFile, TestToken.Pin);
        AnchorPath = Directory.File("anchor.json");
        await File.WriteAllBytesAsync(AnchorPath, await CentralAdmin.GetByteArrayAsync("anchor"));

        Server1 = await StartServerAsync("ss1", Ss1, Ports1, Clock1, $$"""
            {"serverId":"{{Ss1}}","clients":[
              {"id":"{{Consumer}}","connectionType":"http","isCertificates":[],"services":[]},
              {"id":"{{OtherConsumer}}","connectionType":"https","isCertificates":[],"services":[]},
              {"id":"{{CertifiedConsumer}}","connectionType":"https-certificate","isCertificates":["{{Convert.ToHexStringLower(IsCertificate.GetCertHash(System.Security.Cryptography.HashAlgorithmName.SHA256))}}"],"services":[]},
              {"id":"{{Ghost}}","connectionType":"http","isCertificates":[],"services":[]}]}
            """);
        Server2 = await StartServerAsync("ss2", Ss2, Ports2, TimeProvider.System, $$"""
            {"serverId":"{{Ss2}}","clients":[
              {"id":"{{ProviderSubsystem}}","connectionType":"http","isCertificates":[],"services":[
                {"code":"echo","type":"rest","url":"{{Provider.BaseAddress.ToString().TrimEnd('/')}}","enabled":true,
                 "connectTimeoutMs":2000,"readTimeoutMs":2000,"totalTimeoutMs":4000,"verifyTls":true,"logBodies":true,
                 "endpoints":[{"method":"*","path":"/**"}],
                 "accessRights":[{"subject":"{{Consumer}}"}]},
                {"code":"getOnly","type":"rest","url":"{{Provider.BaseAddress.ToString().TrimEnd('/')}}","enabled":true,
                 "connectTimeoutMs":2000,"readTimeoutMs":2000,"totalTimeoutMs":4000,"verifyTls":true,"logBodies":false,
                 "endpoints":[{"method":"GET","path":"/patients/*"}],
                 "accessRights":[{"subject":"{{Consumer}}","method":"GET","path":"/patients/*"}]},
                {"code":"flaky","type":"rest","url":"{{Provider.BaseAddress.ToString().TrimEnd('/')}}","enabled":true,
                 "connectTimeoutMs":2000,"readTimeoutMs":2000,"totalTimeoutMs":4000,"verifyTls":true,"logBodies":true,
                 "endpoints":[],"accessRights":[{"subject":"{{Consumer}}"}]},
                {"code":"off","type":"rest","url":"{{Provider.BaseAddress.ToString().TrimEnd('/')}}","enabled":false,
                 "connectTimeoutMs":2000,"readTimeoutMs":2000,"totalTimeoutMs":4000,"verifyTls":true,"logBodies":true,
                 "endpoints":[],"accessRights":[{"subject":"{{Consumer}}"}]},
                {"code":"down","type":"rest","url":"http://127.0.0.1:{{FreePort()}}","enabled":true,
                 "connectTimeoutMs":2000,"readTimeoutMs":2000,"totalTimeoutMs":4000,"verifyTls":true,"logBodies":true,
                 "endpoints":[],"accessRights":[{"subject":"{{Consumer}}"}]},
                {{SoapService("echoSoap", "/soap/echo")}},
                {{SoapService("faultSoap", "/soap/fault")}},
                {{SoapService("wrongEcho", "/soap/wrong-echo")}},
                {{SoapService("setsHash", "/soap/sets-hash")}},
                {{SoapService("notXml", "/soap/not-xml")}},
                {{SoapService("secretSoap", "/soap/echo", CertifiedConsumer)}},
                {"code":"secret","type":"rest","url":"{{Provider.BaseAddress.ToString().TrimEnd('/')}}","enabled":true,
                 "endpoints":[{"method":"GET","path":"/**"}],"accessRights":[{"subject":"{{CertifiedConsumer}}"}]}]}]}
            """);
        ClientProxy = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{Ports1.ClientProxy}/"), Timeout = TimeSpan.FromSeconds(60) };
        await WaitReadyAsync(Ports1);
        await WaitReadyAsync(Ports2);
        await WaitUntilProviderReachableAsync();
    }

    /// <summary>A SOAP service on the fake provider's <paramref name="path"/> (see <see cref="FakeProvider"/>), open to the consumer.</summary>
    private string SoapService(string code, string path, string subject = Consumer) =>
        $$"""
        {"code":"{{code}}","type":"soap","url":"{{Provider.BaseAddress.ToString().TrimEnd('/')}}{{path}}","enabled":true,
         "connectTimeoutMs":2000,"readTimeoutMs":2000,"totalTimeoutMs":4000,"verifyTls":true,"logBodies":true,
         "endpoints":[],"accessRights":[{"subject":"{{subject}}"}]}
        """;

    public async Task DisposeAsync()
    {
        ClientProxy?.Dispose();
        foreach (var server in _servers)
        {
            await server.DisposeAsync();
        }

        await Central.StopAsync();
        await Central.DisposeAsync();
        await Trust.DisposeAsync();
        await Provider.DisposeAsync();
        await _tsaGate.DisposeAsync();
        CentralAdmin.Dispose();
        Directory.Dispose();
    }

    public string DataDirectory(string name) => Directory.File(name);

    /// <summary>An admin API client (service administrator) for ss1 or ss2.</summary>
    public HttpClient Admin(string server)
    {
        var ports = server == "ss1" ? Ports1 : Ports2;
        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{ports.Admin}/api/v1/"), Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("X-Api-Key", _adminKeys[server]);
        return client;
    }

    /// <summary>How many records the message log of <paramref name="server"/> (ss1 or ss2) holds for <paramref name="messageId"/>.</summary>
    public int CountRecords(string server, string messageId)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(DataDirectory(server), "messagelog.db")};Mode=ReadOnly");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM record WHERE message_id = $id";
        command.Parameters.AddWithValue("$id", messageId);
        return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// A free port below the kernel's ephemeral range (32768 and up here), so that an outgoing connection
    /// of another test cannot take it between this check and the server binding it.
    /// </summary>
    public static int FreePort()
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var port = Random.Shared.Next(20_000, 32_000);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // Taken; try another.
            }
        }

        throw new InvalidOperationException("No free port found between 20000 and 32000.");
    }

    private async Task<IAsyncDisposable> StartServerAsync(string name, string serverId, SecurityServerPorts ports, TimeProvider clock, string serverConf)
    {
        var data = Directory.File(name);
        using (var http = Trust.CreateClient())
        {
            var output = new StringWriter();
            var rc = await InitCommand.RunAsync(["--server-id", serverId, "--trust-services", Trust.BaseAddress.ToString(), "--pin-file", PinFile, $"--SecurityServer:DataDirectory={data}"], output, http, TestToken.Options);
            Assert.True(rc == 0, output.ToString());
        }

        await File.WriteAllTextAsync(Path.Combine(data, "serverconf.json"), serverConf);
        var keyOutput = new StringWriter();
        var keyRc = CreateApiKeyCommand.Run([CreateApiKeyCommand.Name, "--name", "tests", "--role", "service-administrator", "--data-directory", data], keyOutput, keyOutput);
        Assert.True(keyRc == 0, keyOutput.ToString());
        var key = keyOutput.ToString().Split('\n').Single(l => l.Contains("API key:", StringComparison.Ordinal)).Split("API key:")[1].Trim();
        _adminKeys[name] = key;
        var server = await LaunchAsync(name, ServerArguments(data, ports), clock);
        _servers.Add(server);
        return server;
    }

    /// <summary>The settings a security server of this federation runs with.</summary>
    public string[] ServerArguments(string data, SecurityServerPorts ports) =>
    [
        $"--SecurityServer:AnchorPath={AnchorPath}",
        $"--SecurityServer:DataDirectory={data}",
        $"--SecurityServer:AdminUrl=http://127.0.0.1:{ports.Admin}",
        $"--SecurityServer:ClientProxyUrl=http://127.0.0.1:{ports.ClientProxy}",
        $"--SecurityServer:ClientProxyTlsUrl=https://127.0.0.1:{ports.ClientProxyTls}",
        $"--SecurityServer:ServerProxyUrl=https://127.0.0.1:{ports.ServerProxy}",
        $"--SecurityServer:PublicAddress=127.0.0.1:{ports.ServerProxy}",
        "--SecurityServer:AutoRegister=true",
        $"--SecurityServer:TokenPinFile={PinFile}",
        $"--SecurityServer:MaxBodyBytes={MaxBodyBytes}",
        "--Logging:LogLevel:Default=Warning",
    ];

    /// <summary>Starts one security server; in-process here, a separate process in the system tests.</summary>
    protected virtual async Task<IAsyncDisposable> LaunchAsync(string name, string[] arguments, TimeProvider clock)
    {
        var app = SecurityServerHost.Build(arguments, b => b.Services.AddSingleton(clock));
        await app.StartAsync();
        return new InProcessServer(app);
    }

    public static Task WaitReadyAsync(SecurityServerPorts ports) => WaitReadyCoreAsync(ports);

    private sealed class InProcessServer(WebApplication app) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    private async Task BootstrapRegistryAsync()
    {
        await Post("member-classes", new { code = "GOV", description = "Government" });
        await Post("member-classes", new { code = "ORG", description = "Organisations" });
        await Post("members", new { id = "DEV/GOV/70000001", name = "Hospital" });
        await Post("members", new { id = "DEV/ORG/70000002", name = "Provider" });
        await Post("subsystems", new { id = Consumer, name = "consumer" });
        await Post("subsystems", new { id = OtherConsumer, name = "unlisted" });
        await Post("subsystems", new { id = CertifiedConsumer, name = "certified" });
        await Post("subsystems", new { id = ProviderSubsystem, name = "provider" });
        await Post("certification-authorities", new
        {
            name = "dev-ca",
            certificate = await File.ReadAllTextAsync(Path.Combine(Trust.DataDirectory, "ca-intermediate.pem")),
            ocspUrl = new Uri(Trust.BaseAddress, "ocsp").ToString(),
            ocspResponderCertificate = await File.ReadAllTextAsync(Path.Combine(Trust.DataDirectory, "ocsp-responder.pem")),
        });
        await Post("timestamping-authorities", new
        {
            name = "dev-tsa",
            url = new Uri(_tsaGate.BaseAddress, "tsa").ToString(),
            certificate = await File.ReadAllTextAsync(Path.Combine(Trust.DataDirectory, "tsa.pem")),
        });
    }

    private async Task Post(string path, object body)
    {
        using var response = await CentralAdmin.PostAsJsonAsync(path, body);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private static async Task WaitReadyCoreAsync(SecurityServerPorts ports)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{ports.Admin}/"), Timeout = TimeSpan.FromSeconds(5) };
        string last = "";
        for (var i = 0; i < 600; i++)
        {
            try
            {
                using var response = await http.GetAsync("health/ready");
                last = await response.Content.ReadAsStringAsync();
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException ex)
            {
                // A server process that is still starting refuses connections.
                last = ex.Message;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"The security server on {ports.Admin} did not become ready: {last}");
    }

    private async Task WaitUntilProviderReachableAsync()
    {
        string last = "";
        for (var i = 0; i < 600; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"r1/{ProviderSubsystem}/echo/warmup");
            request.Headers.Add("X-Road-Client", Consumer);
            using var response = await ClientProxy.SendAsync(request);
            last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return;
            }

            await Task.Delay(100);
        }

        var requests = await CentralAdmin.GetStringAsync("management-requests") + " audit: " + await CentralAdmin.GetStringAsync("audit?limit=50");
        throw new TimeoutException($"The federation never completed an exchange: {last}; management requests: {requests}");
    }
}

/// <summary>The four ports of one security server.</summary>
public sealed record SecurityServerPorts(int Admin, int ClientProxy, int ClientProxyTls, int ServerProxy)
{
    public static SecurityServerPorts Allocate() => new(Federation.FreePort(), Federation.FreePort(), Federation.FreePort(), Federation.FreePort());
}
