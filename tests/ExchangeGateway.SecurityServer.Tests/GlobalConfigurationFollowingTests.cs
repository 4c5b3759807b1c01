using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using ExchangeGateway.CentralServer.Hosting;
using ExchangeGateway.SecurityServer.Commands;
using ExchangeGateway.SecurityServer.Hosting;
using ExchangeGateway.Testing.Time;
using ExchangeGateway.Testing.Tools;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace ExchangeGateway.SecurityServer.Tests;

/// <summary>
/// A security server process shape (real host) started from an anchor the Central Server produced:
/// it becomes ready with the published serial, reports outdated past expiry, and the operator's
/// verify command checks the same configuration.
/// </summary>
public sealed class GlobalConfigurationFollowingTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private readonly ManualTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly int _csPort = FreePort();
    private readonly int _ssPort = FreePort();
    private WebApplication _central = null!;
    private string _anchorPath = null!;

    public async Task InitializeAsync()
    {
        var console = new StringWriter();
        _central = CentralServerHost.Build(
            [
                $"--urls=http://127.0.0.1:{_csPort}",
                $"--CentralServer:DataDirectory={_dir.File("central")}",
                "--CentralServer:InstanceId=EE",
                $"--CentralServer:Publication:ConfigurationUrl=http://127.0.0.1:{_csPort}",
                "--CentralServer:Publication:Validity=00:01:00",
                "--CentralServer:Publication:GenerationInterval=00:00:10",
                "--Logging:LogLevel:Default=Warning",
            ],
            b =>
            {
                b.Services.AddSingleton(new ConsoleOutput(console));
                b.Services.AddSingleton<TimeProvider>(_time);
            });
        await _central.StartAsync();
        var key = console.ToString().Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith("API key:", StringComparison.Ordinal))["API key:".Length..].Trim();
        using var admin = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_csPort}/") };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("X-Api-Key", key);
        _anchorPath = _dir.File("anchor.json");
        await File.WriteAllBytesAsync(_anchorPath, await admin.GetByteArrayAsync("api/v1/anchor"));
    }

    public async Task DisposeAsync()
    {
        await _central.StopAsync();
        await _central.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task Start_Uninitialised_FollowsPublishedSerial_ThenReportsOutdatedPastExpiry()
    {
        var app = SecurityServerHost.Build(
            [
                $"--urls=http://127.0.0.1:{_ssPort}", $"--SecurityServer:AnchorPath={_anchorPath}", $"--SecurityServer:DataDirectory={_dir.File("ss")}", "--Logging:LogLevel:Default=Warning",
                $"--SecurityServer:ClientProxyUrl=http://127.0.0.1:{FreePort()}", $"--SecurityServer:ClientProxyTlsUrl=https://127.0.0.1:{FreePort()}", $"--SecurityServer:ServerProxyUrl=https://127.0.0.1:{FreePort()}",
            ],
            b => b.Services.AddSingleton<TimeProvider>(_time));
        await app.StartAsync();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_ssPort}/") };
            // Without keys (no init) the server is never ready, but it follows the configuration.
            var ready = await WaitForAsync(http, r => r.GetProperty("globalConfiguration").GetProperty("serial").ValueKind == JsonValueKind.Number);
            Assert.Equal("not_ready", ready.GetProperty("status").GetString());
            Assert.Equal("server.not_initialised", Assert.Single(ready.GetProperty("reasons").EnumerateArray()).GetString());
            Assert.True(ready.GetProperty("globalConfiguration").GetProperty("serial").GetInt64() >= 1);
            Assert.True(File.Exists(Path.Combine(_dir.File("ss"), "globalconf", Config.Client.ConfigurationClient.FileName)), "the last good copy is persisted");

            await _central.StopAsync();
            _time.Advance(TimeSpan.FromMinutes(2));

            var outdated = await WaitForAsync(http, r => r.GetProperty("reasons").GetArrayLength() == 2);
            Assert.Equal("not_ready", outdated.GetProperty("status").GetString());
            Assert.Equal(SecurityServerHost.OutdatedGlobalConf, outdated.GetProperty("reasons")[0].GetString());
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    [Fact]
    public async Task VerifyCommand_DownloadsAndVerifiesAgainstAnchor()
    {
        var output = new StringWriter();

        var exit = await VerifyGlobalConfCommand.RunAsync(["--anchor", _anchorPath], output, _time);

        Assert.True(exit == 0, output.ToString());
        Assert.Contains("OK: instance EE, serial ", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyCommand_TamperedFile_Fails()
    {
        using var http = new HttpClient();
        var envelope = await http.GetByteArrayAsync(new Uri($"http://127.0.0.1:{_csPort}/globalconf"));
        var json = JsonDocument.Parse(envelope).RootElement;
        var content = Convert.FromBase64String(json.GetProperty("content").GetString()!);
        content[^3] ^= 0x01;
        var tampered = System.Text.Encoding.UTF8.GetBytes(
            $"{{\"content\":\"{Convert.ToBase64String(content)}\",\"formatVersion\":1,\"signature\":\"{json.GetProperty("signature").GetString()}\"}}");
        await File.WriteAllBytesAsync(_dir.File("tampered.json"), tampered);
        var output = new StringWriter();

        var exit = await VerifyGlobalConfCommand.RunAsync(["--anchor", _anchorPath, "--file", _dir.File("tampered.json")], output, _time);

        Assert.Equal(1, exit);
        Assert.Contains("FAILED: ", output.ToString(), StringComparison.Ordinal);
    }

    private static async Task<JsonElement> WaitForAsync(HttpClient http, Func<JsonElement, bool> condition)
    {
        for (var i = 0; i < 200; i++)
        {
            using var response = await http.GetAsync("health/ready");
            var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
            if (condition(body))
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
                return body;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("/health/ready never reached the expected state within 200 tries");
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
