using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using ExchangeGateway.SystemTests.Support;
using ExchangeGateway.Testing.Tools;

namespace ExchangeGateway.SystemTests.Cli;

/// <summary>
/// Issue #6's walk through the command line, as an install script would do it: a new organisation's security
/// server (ss3) starts uninitialised beside the quickstart federation and is driven only by the built <c>xgw</c>,
/// each command a separate process: init, keys, CSRs sent to the dev CA over HTTP, certificates imported, the
/// authentication certificate and a client registered with the Central Server, a REST service added and the
/// quickstart's consumer allowed, then one exchange consumer → ss1 → ss3 → echo provider.
/// The Central Server side of the new organisation (member and subsystem) is set up through its admin API,
/// as the federation's operator would.
/// </summary>
[Collection(QuickstartPortsCollection.Name)]
public sealed partial class XgwWalkTests(QuickstartFederationFixture federation) : IClassFixture<QuickstartFederationFixture>
{
    private const string Member = "DEV/GOV/70000003";
    private const string ServerCode = "ss3";
    private const string Client = Member + "/provider3";
    private const string Consumer = "DEV/GOV/70000001/consumer";
    private const string Pin = "Walk-Pin-2026!";
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task Xgw_NewSecurityServer_FromUninitialisedToRegisteredAndServing()
    {
        using var state = new TempDirectory();
        var f = federation.Federation;
        var anchorPath = f.GetProperty("centralServer").GetProperty("anchorPath").GetString()!;
        var centralAdmin = f.GetProperty("centralServer").GetProperty("adminUrl").GetString()!;
        var trustServices = new Uri(f.GetProperty("trustServices").GetProperty("url").GetString()!.TrimEnd('/') + "/");
        var echoUrl = f.GetProperty("echoProvider").GetProperty("url").GetString()!;
        using var keys = JsonDocument.Parse(await File.ReadAllBytesAsync(f.GetProperty("apiKeysPath").GetString()!));
        var centralKey = keys.RootElement.GetProperty("centralServer").GetProperty("apiKey").GetString()!;
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };

        // The federation's operator registers the new organisation at the Central Server.
        await CentralPostAsync(http, centralAdmin, centralKey, "members", new { id = Member, name = "Walk Agency" });
        await CentralPostAsync(http, centralAdmin, centralKey, "subsystems", new { id = Client, name = "provider3" });

        // The new server: its data folder, a first API key made on the box, and the PIN in a file.
        var data = Path.Combine(state.Path, "ss3");
        var (adminPort, clientPort, tlsPort, serverPort) = (FreePort(), FreePort(), FreePort(), FreePort());
        var adminUrl = $"http://127.0.0.1:{adminPort}";
        await using (var created = ExeProcess.Start(Binaries.SecurityServer, "create-api-key", "--name", "installer", "--role", "system-administrator", "--data-directory", data))
        {
            Assert.Equal(0, await created.WaitForExitAsync(CommandTimeout));
            var key = ApiKeyLine().Match(created.Output);
            Assert.True(key.Success, created.Output);
            await File.WriteAllTextAsync(Path.Combine(state.Path, "api-key"), key.Groups[1].Value + "\n");
        }

        await File.WriteAllTextAsync(Path.Combine(state.Path, "pin"), Pin + "\n");
        var common = new[] { "--url", adminUrl, "--api-key-file", Path.Combine(state.Path, "api-key") };
        var pinFile = new[] { "--pin-file", Path.Combine(state.Path, "pin") };

        await using var ss3 = ExeProcess.Start(
            Binaries.SecurityServer,
            $"--SecurityServer:AnchorPath={anchorPath}",
            $"--SecurityServer:DataDirectory={data}",
            $"--SecurityServer:AdminUrl={adminUrl}",
            $"--SecurityServer:ClientProxyUrl=http://127.0.0.1:{clientPort}",
            $"--SecurityServer:ClientProxyTlsUrl=https://127.0.0.1:{tlsPort}",
            $"--SecurityServer:ServerProxyUrl=https://127.0.0.1:{serverPort}",
            $"--SecurityServer:PublicAddress=127.0.0.1:{serverPort}",
            "--Logging:LogLevel:Microsoft.AspNetCore=Warning");

        // Uninitialised: status answers (after the listener is up) and says so.
        var status = await UntilAsync(() => XgwAsync([.. common, "status", "--json"]), r => r.ExitCode != ExitUnreachable, TimeSpan.FromMinutes(1), ss3);
        Assert.Equal(0, status.ExitCode);
        Assert.False(status.Json.GetProperty("initialised").GetBoolean(), status.Output);

        var init = await XgwAsync([.. common, "init", "--owner", Member, "--server-code", ServerCode, .. pinFile, "--json"]);
        Assert.True(init.ExitCode == 0, init.Output);

        var auth = await XgwAsync([.. common, "keys", "generate", "--usage", "authentication", "--name", "ss3 auth", "--json"]);
        Assert.True(auth.ExitCode == 0, auth.Output);
        var sign = await XgwAsync([.. common, "keys", "generate", "--usage", "signing", "--name", "ss3 sign", "--member", Member, "--json"]);
        Assert.True(sign.ExitCode == 0, sign.Output);

        foreach (var (key, usage) in new[] { (auth.Json.GetProperty("id").GetString()!, "authentication"), (sign.Json.GetProperty("id").GetString()!, "signing") })
        {
            var csrPath = Path.Combine(state.Path, usage + ".csr");
            var csr = await XgwAsync([.. common, "csr", "create", key, "--out", csrPath]);
            Assert.True(csr.ExitCode == 0, csr.Output);

            // The CA side: the dev CA issues from the PEM request over HTTP; the bundle is the leaf and its issuer.
            using var request = new ByteArrayContent(await File.ReadAllBytesAsync(csrPath));
            request.Headers.ContentType = new MediaTypeHeaderValue("application/x-pem-file");
            using var issued = await http.PostAsync(new Uri(trustServices, "ca/certificates?profile=" + usage), request);
            Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
            var intermediate = await http.GetStringAsync(new Uri(trustServices, "ca/intermediate.pem"));
            var certPath = Path.Combine(state.Path, usage + ".pem");
            await File.WriteAllTextAsync(certPath, await issued.Content.ReadAsStringAsync() + intermediate);

            var imported = await XgwAsync([.. common, "certs", "import", certPath]);
            Assert.True(imported.ExitCode == 0, imported.Output);
        }

        var certificates = await XgwAsync([.. common, "certs", "list", "--json"]);
        Assert.True(certificates.ExitCode == 0, certificates.Output);
        var authCertificate = certificates.Json.EnumerateArray().Single(c => Normalise(c.GetProperty("usage").GetString()) == "authentication").GetProperty("id").GetString()!;

        var registerAuth = await XgwAsync([.. common, "certs", "register", authCertificate]);
        Assert.True(registerAuth.ExitCode == 0, registerAuth.Output);
        var authRegistered = await XgwAsync([.. common, "wait", "auth-registered", "--timeout", "180"]);
        Assert.True(authRegistered.ExitCode == 0, authRegistered.Output + "\n" + ss3.Output);

        var added = await XgwAsync([.. common, "clients", "add", Client]);
        Assert.True(added.ExitCode == 0, added.Output);
        var registerClient = await XgwAsync([.. common, "clients", "register", Client]);
        Assert.True(registerClient.ExitCode == 0, registerClient.Output);
        var clientRegistered = await XgwAsync([.. common, "wait", "client-registered", Client, "--timeout", "180"]);
        Assert.True(clientRegistered.ExitCode == 0, clientRegistered.Output + "\n" + ss3.Output);

        var service = await XgwAsync([.. common, "services", "put-rest", Client, "echo", "--url", echoUrl]);
        Assert.True(service.ExitCode == 0, service.Output);
        var granted = await XgwAsync([.. common, "access", "grant", Client, "echo", Consumer]);
        Assert.True(granted.ExitCode == 0, granted.Output);

        var ready = await XgwAsync(["--url", adminUrl, "wait", "ready", "--timeout", "180"]);
        Assert.True(ready.ExitCode == 0, ready.Output + "\n" + ss3.Output);

        // One exchange: the quickstart's consumer through ss1 to the new server's service. ss1 learns of ss3
        // from its next global configuration, so the first attempts may be refused; bounded.
        var (exchangeStatus, body, summary) = await ExchangeUntilServedAsync(http, federation.ClientProxyUrl, TimeSpan.FromMinutes(3));
        Assert.True(exchangeStatus == HttpStatusCode.OK, $"the exchange answered {(int)exchangeStatus}: {body}\n{ss3.Output}");
        Assert.Equal("walk", body);
        using var echoed = JsonDocument.Parse(summary!);
        Assert.Equal("/hello?via=xgw", echoed.RootElement.GetProperty("target").GetString());

        // A signed backup of the registered server, downloaded, and restored onto it: the token comes back
        // logged out and opens with the same PIN.
        var backup = await XgwAsync([.. common, "backup", "create", "--json"]);
        Assert.True(backup.ExitCode == 0, backup.Output);
        var backupName = backup.Json.GetProperty("name").GetString()!;
        var listed = await XgwAsync([.. common, "backup", "list", "--json"]);
        Assert.Equal(backupName, Assert.Single(listed.Json.EnumerateArray()).GetProperty("name").GetString());
        var backupFile = Path.Combine(state.Path, backupName);
        var downloaded = await XgwAsync([.. common, "backup", "download", backupName, "--out", backupFile]);
        Assert.True(downloaded.ExitCode == 0, downloaded.Output);
        Assert.Equal(backup.Json.GetProperty("size").GetInt64(), new FileInfo(backupFile).Length);

        var restored = await XgwAsync([.. common, "backup", "restore", backupFile, "--json"]);
        Assert.True(restored.ExitCode == 0, restored.Output);
        Assert.Equal(Member + "/" + ServerCode, restored.Json.GetProperty("serverId").GetString());
        var afterRestore = await XgwAsync([.. common, "status", "--json"]);
        Assert.Equal("logged-out", afterRestore.Json.GetProperty("tokenStatus").GetString());
        var login = await XgwAsync([.. common, "token", "login", .. pinFile]);
        Assert.True(login.ExitCode == 0, login.Output);
        var readyAgain = await XgwAsync(["--url", adminUrl, "wait", "ready", "--timeout", "120"]);
        Assert.True(readyAgain.ExitCode == 0, readyAgain.Output + "\n" + ss3.Output);
    }

    private const int ExitUnreachable = 3;

    private static async Task<XgwResult> XgwAsync(string[] args)
    {
        await using var process = ExeProcess.Start(Binaries.Xgw, args);
        var exit = await process.WaitForExitAsync(CommandTimeout + TimeSpan.FromMinutes(4));
        return new XgwResult(exit, process.Output);
    }

    private static async Task<XgwResult> UntilAsync(Func<Task<XgwResult>> run, Func<XgwResult, bool> done, TimeSpan timeout, ExeProcess server)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (true)
        {
            var result = await run();
            if (done(result) || DateTimeOffset.UtcNow > deadline)
            {
                Assert.True(done(result), $"gave up after {timeout}: {result.Output}\nserver output:\n{server.Output}");
                return result;
            }

            await Task.Delay(500);
        }
    }

    private static async Task<(HttpStatusCode Status, string Body, string? Summary)> ExchangeUntilServedAsync(HttpClient http, string clientProxyUrl, TimeSpan timeout)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (true)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"{clientProxyUrl.TrimEnd('/')}/r1/{Client}/echo/hello?via=xgw")
            {
                Content = new StringContent("walk", Encoding.UTF8, "text/plain"),
            };
            request.Headers.Add("X-Road-Client", Consumer);
            using var response = await http.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            if (response.StatusCode == HttpStatusCode.OK || DateTimeOffset.UtcNow > deadline)
            {
                var summary = response.Headers.TryGetValues("X-Echo-Request", out var values) ? values.Single() : null;
                return (response.StatusCode, body, summary);
            }

            await Task.Delay(TimeSpan.FromSeconds(2));
        }
    }

    private static async Task CentralPostAsync(HttpClient http, string adminUrl, string apiKey, string resource, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{adminUrl}/api/v1/{resource}") { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("X-Api-Key", apiKey);
        using var response = await http.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"POST /api/v1/{resource}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string Normalise(string? value) => new([.. (value ?? string.Empty).Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant)]);

    [GeneratedRegex(@"API key:\s*(\S+)")]
    private static partial Regex ApiKeyLine();

    private sealed record XgwResult(int ExitCode, string Output)
    {
        public JsonElement Json
        {
            get
            {
                using var document = JsonDocument.Parse(Output);
                return document.RootElement.Clone();
            }
        }
    }
}
