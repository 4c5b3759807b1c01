using System.Net;
using System.Text;
using System.Text.Json;
using ExchangeGateway.Common.Identifiers;
using ExchangeGateway.SecurityServer.Registry;
using ExchangeGateway.SecurityServer.Tests.Admin;
using ExchangeGateway.Testing.Tools;

namespace ExchangeGateway.SecurityServer.Tests.Onboarding;

/// <summary>Only onboarding moves a client's status: changing its settings through the admin API keeps it.</summary>
public sealed class ClientStatusAdminTests
{
    [Fact]
    public async Task PutClientSettings_RegisteredClient_KeepsItsStatus()
    {
        using var dir = new TempDirectory();
        await File.WriteAllTextAsync(dir.File("serverconf.json"), """
            {"serverId":"DEV/GOV/70000001/ss1","clients":[{"id":"DEV/GOV/70000001/hospital","status":"registered","connectionType":"http"}]}
            """);
        await using var host = await AdminTestHost.StartAsync(dir.Path);
        using var http = host.Client(host.CreateKey());

        using var response = await http.PutAsync("api/v1/clients/DEV%2FGOV%2F70000001%2Fhospital", new StringContent("""{"connectionType":"https"}""", Encoding.UTF8, "application/json"));

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        using var json = JsonDocument.Parse(body);
        Assert.Equal("registered", json.RootElement.GetProperty("status").GetString());
        var stored = host.Store.Current!.FindClient(ClientId.Parse("DEV/GOV/70000001/hospital"))!;
        Assert.Equal((ClientStatus.Registered, ConnectionType.Https), (stored.Status, stored.ConnectionType));
        Assert.Contains("\"status\": \"registered\"", await File.ReadAllTextAsync(host.Store.FilePath), StringComparison.Ordinal);
    }
}
