using System.Net.Http.Headers;
using System.Text.Json;
using ExchangeGateway.SystemTests.Support;

namespace ExchangeGateway.SystemTests.SoapClient;

/// <summary>
/// The quickstart federation's SOAP sample, from outside, with its processes running: how it is described in
/// <c>federation.json</c> and registered on ss2, and a real third-party client (the npm <c>soap</c> package)
/// that gets the WSDL from <c>getWsdl</c> and calls the service through both security servers.
/// </summary>
[Collection(QuickstartPortsCollection.Name)]
public sealed class QuickstartSoapTests(QuickstartFederationFixture quickstart) : IClassFixture<QuickstartFederationFixture>
{
    [Fact]
    public void FederationJson_ListsEveryServiceWithItsType()
    {
        var services = quickstart.Federation.GetProperty("services").EnumerateArray()
            .Select(s => (Id: s.GetProperty("id").GetString(), Type: s.GetProperty("type").GetString()))
            .ToList();

        Assert.Equal(
            [
                ("DEV/ORG/70000002/provider/echo", "rest"),
                ("DEV/ORG/70000002/provider/helloService/v1", "soap"),
                ("DEV/ORG/70000002/provider/echoData/v1", "soap"),
            ],
            services);
    }

    [Fact]
    public async Task NpmSoapPackage_WsdlFromGetWsdl_CallsHelloServiceThroughBothSecurityServers()
    {
        var service = quickstart.Federation.GetProperty("services").EnumerateArray()
            .Single(s => s.GetProperty("type").GetString() == "soap" && s.GetProperty("code").GetString() == "helloService");
        using var saved = new ExchangeGateway.Testing.Tools.TempDirectory();

        var (exit, result, output) = await NpmSoapClient.RunAsync(
            "--proxy", quickstart.ClientProxyUrl,
            "--client", XRoadSoap.Consumer,
            "--service", service.GetProperty("id").GetString()!,
            "--name", "npm",
            "--out", saved.Path);

        Assert.True(exit == 0, $"{output}\n---- quickstart:\n{quickstart.Output}");
        var json = result!.Value;
        Assert.Equal("getWsdl", json.GetProperty("wsdlSource").GetString());
        Assert.StartsWith("multipart/related", json.GetProperty("getWsdl").GetProperty("contentType").GetString(), StringComparison.Ordinal);
        Assert.Equal("Hello npm! Greetings from the ExchangeGateway quickstart provider.", json.GetProperty("greeting").GetString());
        Assert.Equal(json.GetProperty("messageId").GetString(), json.GetProperty("echoedId").GetString());
        Assert.False(string.IsNullOrEmpty(json.GetProperty("requestHash").GetString()), "the response has no xrd:requestHash: " + output);

        // The WSDL that came back is the registered one, the provider's address hidden (PR-META), both operations in it.
        var wsdl = await File.ReadAllTextAsync(json.GetProperty("wsdlPath").GetString()!);
        Assert.DoesNotContain(service.GetProperty("url").GetString()!, wsdl, StringComparison.Ordinal);
        Assert.Equal(["helloService", "echoData"], json.GetProperty("operations").EnumerateArray().Select(o => o.GetString()));
    }

    [Fact]
    public async Task Ss2_HoldsTheWsdlAsAServiceDescriptionWithBothOperations()
    {
        var ss2 = quickstart.Federation.GetProperty("securityServers")[1];
        var keys = JsonDocument.Parse(await File.ReadAllBytesAsync(quickstart.Federation.GetProperty("apiKeysPath").GetString()!)).RootElement;
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"{ss2.GetProperty("adminUrl").GetString()}/api/v1/clients/{Uri.EscapeDataString(XRoadSoap.Provider)}/service-descriptions"));
        request.Headers.Authorization = new AuthenticationHeaderValue("X-Api-Key", keys.GetProperty("ss2").GetProperty("apiKey").GetString());

        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.True(response.IsSuccessStatusCode, body);
        var description = Assert.Single(JsonDocument.Parse(body).RootElement.EnumerateArray());
        Assert.Contains("wsdl", description.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("helloService", description.ToString(), StringComparison.Ordinal);
        Assert.Contains("echoData", description.ToString(), StringComparison.Ordinal);
    }
}
