using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using ExchangeGateway.CentralServer.Hosting;
using ExchangeGateway.Config.Anchors;
using ExchangeGateway.SecurityServer.Tests.Exchange;
using ExchangeGateway.Testing.Hosting;
using ExchangeGateway.Testing.Tools;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace ExchangeGateway.SecurityServer.Tests.Onboarding;

/// <summary>
/// The real dev trust services and a real Central Server (no auto-approval: tests approve as the registration
/// officer) on loopback, shared by the onboarding tests. Members: <see cref="Owner"/> (class GOV) and
/// <see cref="OtherMember"/> (class ORG), with subsystems <c>a</c>, <c>b</c> and <c>c</c> each; the dev CA approved.
/// Each test brings its own security server (own server code, token and data directory).
/// </summary>
public sealed class OnboardingCentral : IAsyncLifetime
{
    public const string Owner = "DEV/GOV/70000001";
    public const string OtherMember = "DEV/ORG/70000002";

    private int _servers;

    public TempDirectory Directory { get; } = new();

    public TrustServicesInstance Trust { get; private set; } = null!;

    public WebApplication Central { get; private set; } = null!;

    /// <summary>The Central Server admin API as its system administrator.</summary>
    public HttpClient Admin { get; private set; } = null!;

    public ConfigurationAnchor Anchor { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Trust = await TrustServicesInstance.StartAsync(Directory.File("trust"));
        var adminPort = Federation.FreePort();
        var publicPort = Federation.FreePort();
        var console = new StringWriter();
        Central = CentralServerHost.Build(
            [
                $"--CentralServer:AdminUrl=http://127.0.0.1:{adminPort}",
                $"--CentralServer:DataDirectory={Directory.File("central")}",
                "--CentralServer:InstanceId=DEV",
                $"--CentralServer:Publication:ConfigurationUrl=http://127.0.0.1:{publicPort}",
                "--CentralServer:Publication:RefreshInterval=00:00:01",
                "--Logging:LogLevel:Default=Warning",
            ],
            b => b.Services.AddSingleton(new ConsoleOutput(console)));
        await Central.StartAsync();
        var key = console.ToString().Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith("API key:", StringComparison.Ordinal))["API key:".Length..].Trim();
        Admin = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{adminPort}/api/v1/"), Timeout = TimeSpan.FromSeconds(30) };
        Admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("X-Api-Key", key);
        await Post("member-classes", new { code = "GOV", description = "Government" });
        await Post("member-classes", new { code = "ORG", description = "Organisations" });
        await Post("members", new { id = Owner, name = "Hospital" });
        await Post("members", new { id = OtherMember, name = "Provider" });
        foreach (var member in new[] { Owner, OtherMember })
        {
            foreach (var code in new[] { "a", "b", "c" })
            {
                await Post("subsystems", new { id = $"{member}/{code}", name = code });
            }
        }

        await Post("certification-authorities", new
        {
            name = "dev-ca",
            certificate = await File.ReadAllTextAsync(Path.Combine(Trust.DataDirectory, "ca-intermediate.pem")),
            ocspUrl = new Uri(Trust.BaseAddress, "ocsp").ToString(),
            ocspResponderCertificate = await File.ReadAllTextAsync(Path.Combine(Trust.DataDirectory, "ocsp-responder.pem")),
        });
        var anchor = ConfigurationAnchorSerializer.Read(await Admin.GetByteArrayAsync("anchor"));
        Assert.True(anchor.Success, anchor.Message);
        Anchor = anchor.Value;
    }

    public async Task DisposeAsync()
    {
        Admin.Dispose();
        await Central.StopAsync();
        await Central.DisposeAsync();
        await Trust.DisposeAsync();
        Directory.Dispose();
    }

    /// <summary>A server code no other test uses.</summary>
    public string NextServerCode() => "ss" + Interlocked.Increment(ref _servers).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Approves a management request as the registration officer; asserts it was approved.</summary>
    public async Task ApproveAsync(string requestId)
    {
        using var response = await Admin.PostAsync($"management-requests/{requestId}/approve", null);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"approve {requestId}: {(int)response.StatusCode} {text}");
        using var doc = JsonDocument.Parse(text);
        Assert.Equal("approved", doc.RootElement.GetProperty("state").GetString());
    }

    /// <summary>The management requests the Central Server stored for <paramref name="serverId"/>.</summary>
    public async Task<List<JsonElement>> RequestsForAsync(string serverId)
    {
        using var doc = JsonDocument.Parse(await Admin.GetStringAsync("management-requests"));
        return [.. doc.RootElement.EnumerateArray().Where(r => r.GetProperty("serverId").GetString() == serverId).Select(r => r.Clone())];
    }

    private async Task Post(string path, object body)
    {
        using var response = await Admin.PostAsJsonAsync(path, body);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }
}
