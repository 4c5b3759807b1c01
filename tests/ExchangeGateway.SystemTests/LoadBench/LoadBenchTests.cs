using System.Net;
using System.Text.Json;
using ExchangeGateway.SystemTests.Support;

namespace ExchangeGateway.SystemTests.LoadBench;

/// <summary>The load harness's parts in their own processes: the load client's accounting and the plain forwarding hop. No timing assertions.</summary>
public sealed class LoadBenchTests(EchoProviderFixture echo) : IClassFixture<EchoProviderFixture>
{
    [Fact]
    public async Task Load_AgainstEcho_ReportsCompletedExchangesAndNoErrors()
    {
        var result = await RunLoadAsync(new Uri(echo.BaseAddress, "bench").ToString(), size: 2048);

        Assert.True(result.GetProperty("Completed").GetInt64() > 0, result.ToString());
        Assert.Equal(0, result.GetProperty("ErrorCount").GetInt64());
        Assert.True(result.GetProperty("P50").GetInt64() <= result.GetProperty("P99").GetInt64());
        Assert.True(result.GetProperty("P99").GetInt64() <= result.GetProperty("Max").GetInt64());
    }

    [Fact]
    public async Task Load_AgainstFailingEndpoint_CountsEveryErrorByKind()
    {
        var result = await RunLoadAsync(new Uri(echo.BaseAddress, "status/503").ToString(), size: 16);

        Assert.Equal(0, result.GetProperty("Completed").GetInt64());
        var errors = result.GetProperty("Errors");
        Assert.Equal(result.GetProperty("ErrorCount").GetInt64(), errors.GetProperty("HTTP 503").GetInt64());
        Assert.True(result.GetProperty("ErrorCount").GetInt64() > 0);
    }

    [Fact]
    public async Task Load_AgainstClosedPort_CountsConnectionErrors()
    {
        var result = await RunLoadAsync("http://127.0.0.1:1/bench", size: 16);

        Assert.Equal(0, result.GetProperty("Completed").GetInt64());
        Assert.True(result.GetProperty("ErrorCount").GetInt64() > 0);
        Assert.Contains("HttpRequestException", result.GetProperty("Errors").EnumerateObject().Single().Name, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Load_SoapEchoDataAgainstEcho_ReportsCompletedExchangesAndNoErrors()
    {
        var result = await RunLoadAsync(new Uri(echo.BaseAddress, "soap").ToString(), size: 64 * 1024, "--soap-service", "DEV/ORG/70000002/provider/echoData/v1", "--soap-client", "DEV/GOV/70000001/consumer");

        Assert.True(result.GetProperty("Completed").GetInt64() > 0, result.ToString());
        Assert.Equal(0, result.GetProperty("ErrorCount").GetInt64());
    }

    [Fact]
    public async Task Load_SoapAgainstAPathThatIsNotSoap_CountsEveryAnswerAsAnError()
    {
        // /bench echoes the request itself: HTTP 200, but no echoDataResponse in it.
        var result = await RunLoadAsync(new Uri(echo.BaseAddress, "bench").ToString(), size: 16, "--soap-service", "DEV/ORG/70000002/provider/echoData/v1", "--soap-client", "DEV/GOV/70000001/consumer");

        Assert.Equal(0, result.GetProperty("Completed").GetInt64());
        Assert.True(result.GetProperty("ErrorCount").GetInt64() > 0);
        Assert.Equal(result.GetProperty("ErrorCount").GetInt64(), result.GetProperty("Errors").GetProperty("not an echoDataResponse").GetInt64());
    }

    [Fact]
    public async Task Hop_ForwardsRawTargetHeadersAndBodyAndPassesRedirectsBack()
    {
        await using var hop = ExeProcess.Start(Binaries.LoadBench, "hop", "--listen", "http://127.0.0.1:0", "--target", echo.BaseAddress.ToString());
        var line = await hop.WaitForLineAsync("hop listening on ", TimeSpan.FromSeconds(60));
        var hopUrl = line[(line.LastIndexOf(' ') + 1)..].TrimEnd('/');
        using var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseProxy = false }) { Timeout = TimeSpan.FromSeconds(30) };

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(hopUrl + "/x/y%2Fz?q=1")) { Content = new StringContent("through the hop") };
        request.Headers.Add("X-Custom", "kept");
        using var response = await http.SendAsync(request);
        using var redirect = await http.GetAsync(new Uri(hopUrl + "/redirect?to=http://127.0.0.1:1/next"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("through the hop", await response.Content.ReadAsStringAsync());
        using var summary = JsonDocument.Parse(response.Headers.GetValues("X-Echo-Request").Single());
        Assert.Equal("/x/y%2Fz?q=1", summary.RootElement.GetProperty("target").GetString());
        Assert.Equal("kept", summary.RootElement.GetProperty("headers").GetProperty("X-Custom")[0].GetString());
        Assert.Equal(HttpStatusCode.Found, redirect.StatusCode);
        Assert.Equal("http://127.0.0.1:1/next", redirect.Headers.Location?.OriginalString);
    }

    private static async Task<JsonElement> RunLoadAsync(string url, int size, params string[] extra)
    {
        await using var load = ExeProcess.Start(Binaries.LoadBench, ["load", "--url", url, "--concurrency", "2", "--warmup", "0", "--duration", "1", "--size", size.ToString(System.Globalization.CultureInfo.InvariantCulture), .. extra]);
        var line = await load.WaitForLineAsync("RESULT ", TimeSpan.FromSeconds(90));
        Assert.Equal(0, await load.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        return JsonDocument.Parse(line["RESULT ".Length..]).RootElement.Clone();
    }
}
