using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ExchangeGateway.SecurityServer.Admin;
using ExchangeGateway.SecurityServer.Tests.Exchange;
using ExchangeGateway.Signer.Ocsp;
using Microsoft.Extensions.DependencyInjection;

namespace ExchangeGateway.SecurityServer.Tests.Onboarding;

/// <summary>
/// The test federation plus a third security server, ss3 of a new member (the clinic), started with nothing but
/// the anchor and a system administrator's API key: no keys, no <c>serverconf.json</c>, no autologin, no
/// auto-registration. <see cref="OnboardAsync"/> walks it through onboarding with the admin API only, once.
/// </summary>
public sealed class WalkFederation : Federation
{
    public const string ClinicMember = "DEV/GOV/70000003";
    public const string Clinic = "DEV/GOV/70000003/clinic";
    public const string ClinicService = "records";
    public const string Pin = "Clinic-Token-Pin-42";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private Walked? _walked;

    public SecurityServerPorts Ports3 { get; } = SecurityServerPorts.Allocate();

    /// <summary>ss3's admin API (system administrator).</summary>
    public HttpClient Ss3Admin { get; private set; } = null!;

    /// <summary>ss3's client proxy (the clinic's information system).</summary>
    public HttpClient Ss3ClientProxy { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await CentralPostAsync("members", new { id = ClinicMember, name = "Clinic" });
        await CentralPostAsync("subsystems", new { id = Clinic, name = "clinic" });

        var data = DataDirectory("ss3");
        var output = new StringWriter();
        var rc = CreateApiKeyCommand.Run([CreateApiKeyCommand.Name, "--name", "operator", "--role", "system-administrator", "--data-directory", data], output, output);
        Assert.True(rc == 0, output.ToString());
        var key = output.ToString().Split('\n').Single(l => l.Contains("API key:", StringComparison.Ordinal)).Split("API key:")[1].Trim();
        var arguments = ServerArguments(data, Ports3)
            .Where(a => !a.StartsWith("--SecurityServer:AutoRegister", StringComparison.Ordinal) && !a.StartsWith("--SecurityServer:TokenPinFile", StringComparison.Ordinal))
            .ToArray();
        await StartBareServerAsync("ss3", arguments);
        Ss3Admin = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{Ports3.Admin}/api/v1/"), Timeout = TimeSpan.FromSeconds(30) };
        Ss3Admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("X-Api-Key", key);
        Ss3ClientProxy = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{Ports3.ClientProxy}/"), Timeout = TimeSpan.FromSeconds(60) };
    }

    /// <summary>What the walk produced.</summary>
    public sealed record Walked(string AuthCertificateId, string SigningCertificateId, string SigningCertificateSerial);

    /// <summary>Onboards ss3 through its admin API (once; later calls return the same result).</summary>
    public async Task<Walked> OnboardAsync()
    {
        await _gate.WaitAsync();
        try
        {
            return _walked ??= await WalkAsync();
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<Walked> WalkAsync()
    {
        // 1. Initialise: owner, server code, token PIN.
        var init = await GetJsonAsync("initialisation");
        Assert.False(init.GetProperty("initialised").GetBoolean());
        await SendAsync(HttpMethod.Post, "initialisation", new { ownerMemberId = ClinicMember, serverCode = "ss3", pin = Pin }, HttpStatusCode.Created);

        // 2. Keys, CSRs, certificates from the CA, imported.
        var authKey = await SendAsync(HttpMethod.Post, "tokens/0/keys", new { usage = "authentication", friendlyName = "ss3 TLS" }, HttpStatusCode.Created);
        var signKey = await SendAsync(HttpMethod.Post, "tokens/0/keys", new { usage = "signing", friendlyName = "clinic signing", memberId = ClinicMember }, HttpStatusCode.Created);
        var auth = await CertifyAsync(authKey.GetProperty("id").GetString()!, "authentication");
        var sign = await CertifyAsync(signKey.GetProperty("id").GetString()!, "signing");
        Assert.Equal("saved", auth.GetProperty("state").GetString());
        Assert.Equal("registered", sign.GetProperty("state").GetString());

        // 3. Registration with the Central Server: the authentication certificate, then the clinic subsystem.
        var authId = auth.GetProperty("id").GetString()!;
        await SendAsync(HttpMethod.Post, $"certificates/{authId}/register", new { address = $"127.0.0.1:{Ports3.ServerProxy}" }, HttpStatusCode.Accepted);
        await SendAsync(HttpMethod.Post, "clients", new { id = Clinic, connectionType = "http" }, HttpStatusCode.Created);
        await SendAsync(HttpMethod.Post, $"clients/{Uri.EscapeDataString(Clinic)}/register", null, HttpStatusCode.Accepted);

        // 4. A service for ss1's consumer; and on ss2 its administrator lets the clinic call echo.
        await SendAsync(HttpMethod.Put, $"clients/{Uri.EscapeDataString(Clinic)}/services/{ClinicService}", new
        {
            type = "rest",
            url = Provider.BaseAddress.ToString().TrimEnd('/'),
            enabled = true,
            endpoints = new[] { new { method = "GET", path = "/patients/*" } },
        }, HttpStatusCode.Created);
        await SendAsync(HttpMethod.Put, $"clients/{Uri.EscapeDataString(Clinic)}/services/{ClinicService}/access-rights", new[] { new { subject = Consumer } }, HttpStatusCode.OK);
        using (var ss2 = Admin("ss2"))
        using (var rights = await ss2.PutAsJsonAsync($"clients/{Uri.EscapeDataString(ProviderSubsystem)}/services/echo/access-rights", new[] { new { subject = Consumer }, new { subject = Clinic } }))
        {
            Assert.True(rights.IsSuccessStatusCode, await rights.Content.ReadAsStringAsync());
        }

        // 5. The global configuration carries both registrations; ss3 follows and becomes ready.
        await WaitForAsync(async () =>
            (await GetJsonAsync($"certificates/{authId}")).GetProperty("state").GetString() == "registered"
            && (await GetJsonAsync($"clients/{Uri.EscapeDataString(Clinic)}")).GetProperty("status").GetString() == "registered");
        await WaitReadyAsync(Ports3);
        return new Walked(authId, sign.GetProperty("id").GetString()!, sign.GetProperty("serialNumber").GetString()!);
    }

    /// <summary>A new signing key for the clinic, certified and imported (the remedy for a revoked certificate).</summary>
    public async Task<string> CertifyNewSigningKeyAsync()
    {
        var key = await SendAsync(HttpMethod.Post, "tokens/0/keys", new { usage = "signing", friendlyName = "clinic signing 2", memberId = ClinicMember }, HttpStatusCode.Created);
        var certificate = await CertifyAsync(key.GetProperty("id").GetString()!, "signing");
        return certificate.GetProperty("id").GetString()!;
    }

    /// <summary>The dev CA revokes a certificate (serial in hex).</summary>
    public async Task RevokeAsync(string serialHex)
    {
        using var http = Trust.CreateClient();
        using var revoke = await http.PostAsync($"ca/certificates/{serialHex}/revoke?reason=1", null);
        Assert.True(revoke.IsSuccessStatusCode, await revoke.Content.ReadAsStringAsync());
    }

    /// <summary>ss3 asks the OCSP responder about every certificate now instead of at half the freshness.</summary>
    public Task RefreshOcspAsync() => ServicesOf("ss3").GetRequiredService<OcspStatusManager>().RefreshAsync();

    public async Task<JsonElement> GetJsonAsync(string path)
    {
        using var response = await Ss3Admin.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public async Task<JsonElement> SendAsync(HttpMethod method, string path, object? body, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        using var response = await Ss3Admin.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{method} {path}: expected {(int)expected}, got {(int)response.StatusCode} {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Sends a REST request through <paramref name="clientProxy"/> for <paramref name="client"/>.</summary>
    public static Task<HttpResponseMessage> CallAsync(HttpClient clientProxy, string client, string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-Road-Client", client);
        return clientProxy.SendAsync(request);
    }

    /// <summary>Retries a call until it answers 200 (other servers pick the new configuration up within seconds).</summary>
    public static async Task WaitUntilOkAsync(HttpClient clientProxy, string client, string path)
    {
        var last = "";
        for (var i = 0; i < 300; i++)
        {
            using var response = await CallAsync(clientProxy, client, path);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return;
            }

            last = $"{(int)response.StatusCode} {string.Join(",", response.Headers.TryGetValues("X-Road-Error", out var codes) ? codes : [])} {await response.Content.ReadAsStringAsync()}";
            await Task.Delay(100);
        }

        Assert.Fail($"{path} for {client} never answered 200: {last}");
    }

    public override async Task DisposeAsync()
    {
        Ss3Admin?.Dispose();
        Ss3ClientProxy?.Dispose();
        _gate.Dispose();
        await base.DisposeAsync();
    }

    private async Task<JsonElement> CertifyAsync(string keyId, string profile)
    {
        var csr = await SendAsync(HttpMethod.Post, $"keys/{keyId}/csrs", new { }, HttpStatusCode.Created);
        using var http = Trust.CreateClient();
        using var content = new StringContent(csr.GetProperty("pem").GetString()!, Encoding.ASCII);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/pkcs10");
        using var issued = await http.PostAsync($"ca/certificates?profile={profile}", content);
        var leaf = await issued.Content.ReadAsStringAsync();
        Assert.True(issued.StatusCode == HttpStatusCode.Created, $"the dev CA refused the CSR: {(int)issued.StatusCode} {leaf}");
        var intermediate = await http.GetStringAsync("ca/intermediate.pem");
        using var bundle = new StringContent(leaf.TrimEnd() + "\n" + intermediate, Encoding.ASCII);
        bundle.Headers.ContentType = new MediaTypeHeaderValue("application/x-pem-file");
        using var imported = await Ss3Admin.PostAsync("certificates", bundle);
        var text = await imported.Content.ReadAsStringAsync();
        Assert.True(imported.StatusCode == HttpStatusCode.Created, $"import: {(int)imported.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private async Task CentralPostAsync(string path, object body)
    {
        using var response = await CentralAdmin.PostAsJsonAsync(path, body);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 600; i++)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail("The walk did not reach its state within 60 s.");
    }
}
