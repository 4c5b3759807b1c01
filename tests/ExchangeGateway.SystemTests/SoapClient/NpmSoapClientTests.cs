using ExchangeGateway.SystemTests.Support;

namespace ExchangeGateway.SystemTests.SoapClient;

/// <summary>
/// The off-the-shelf npm <c>soap</c> client (1.13.0) driven by <c>soap-client.mjs</c>. Here against the
/// quickstart's SOAP sample directly: the package must read the sample's WSDL and call it, so that a failure
/// through the gateway is the gateway's.
/// </summary>
public sealed class NpmSoapClientTests(EchoProviderFixture echo) : IClassFixture<EchoProviderFixture>
{
    [Fact]
    public async Task SoapPackage_WithTheSampleWsdl_CallsHelloServiceDirectly()
    {
        var soapUrl = new Uri(echo.BaseAddress, "soap").ToString();

        var (exit, result, output) = await NpmSoapClient.RunAsync(
            "--client", XRoadSoap.Consumer,
            "--service", XRoadSoap.Provider + "/helloService/v1",
            "--name", "npm",
            "--wsdl-url", soapUrl + "?wsdl",
            "--endpoint", soapUrl);

        Assert.True(exit == 0, output);
        var json = result!.Value;
        Assert.True(json.GetProperty("ok").GetBoolean(), output);
        Assert.Equal("Hello npm! Greetings from the ExchangeGateway quickstart provider.", json.GetProperty("greeting").GetString());
        Assert.Equal(["helloService", "echoData"], json.GetProperty("operations").EnumerateArray().Select(o => o.GetString()));
        Assert.Equal(json.GetProperty("messageId").GetString(), json.GetProperty("echoedId").GetString());
    }

    [Fact]
    public async Task Script_WhenTheCallFails_ExitsNonZeroAndSaysWhere()
    {
        var soapUrl = new Uri(echo.BaseAddress, "soap").ToString();

        // The sample answers a getWsdl body with a fault: the script must report it, not pretend.
        var (exit, result, output) = await NpmSoapClient.RunAsync(
            "--client", XRoadSoap.Consumer,
            "--service", XRoadSoap.Provider + "/helloService/v1",
            "--proxy", soapUrl);

        Assert.NotEqual(0, exit);
        Assert.False(result!.Value.GetProperty("ok").GetBoolean(), output);
        Assert.Equal("getWsdl", result.Value.GetProperty("step").GetString());
        Assert.Contains("SOAP fault soapenv:Client", result.Value.GetProperty("error").GetString(), StringComparison.Ordinal);
    }
}
