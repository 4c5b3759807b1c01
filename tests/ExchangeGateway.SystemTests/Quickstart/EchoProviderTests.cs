using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using ExchangeGateway.SystemTests.Support;

namespace ExchangeGateway.SystemTests.Quickstart;

/// <summary>The quickstart's sample provider, driven over HTTP in its own process: what tests through the federation rely on.</summary>
public sealed class EchoProviderTests(EchoProviderFixture echo) : IClassFixture<EchoProviderFixture>
{
    private const string SummaryHeader = "X-Echo-Request";

    [Fact]
    public async Task Post_WithBody_EchoesBodyAndContentType()
    {
        using var http = Client();
        using var content = new StringContent("<hello>wörld</hello>", Encoding.UTF8, "application/xml");

        using var response = await http.PostAsync(new Uri(echo.BaseAddress, "any/path"), content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/xml; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Equal("<hello>wörld</hello>", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Get_WithoutBody_AnswersJsonSummaryOfMethodTargetAndHeaders()
    {
        using var http = Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(echo.BaseAddress, "patients/42?full=true"));
        request.Headers.Add("X-Custom", ["one", "two"]);

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var summary = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("GET", summary.RootElement.GetProperty("method").GetString());
        Assert.Equal("/patients/42?full=true", summary.RootElement.GetProperty("target").GetString());
        Assert.Equal("one, two", string.Join(", ", summary.RootElement.GetProperty("headers").GetProperty("X-Custom").EnumerateArray().Select(v => v.GetString())));
    }

    [Fact]
    public async Task AnyRequest_SummaryHeader_HoldsRawTargetUndecoded()
    {
        using var http = Client();
        using var content = new ByteArrayContent([1, 2, 3]);

        using var response = await http.PutAsync(new Uri(echo.BaseAddress + "a/b%2Fc?x=1&y=%20"), content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(new byte[] { 1, 2, 3 }, await response.Content.ReadAsByteArrayAsync());
        using var summary = JsonDocument.Parse(Assert.Single(response.Headers.GetValues(SummaryHeader)));
        Assert.Equal("PUT", summary.RootElement.GetProperty("method").GetString());
        Assert.Equal("/a/b%2Fc?x=1&y=%20", summary.RootElement.GetProperty("target").GetString());
    }

    [Fact]
    public async Task Redirect_WithTo_Answers302WithLocation()
    {
        using var http = Client();

        using var response = await http.GetAsync(new Uri(echo.BaseAddress, "redirect?to=http%3A%2F%2F127.0.0.1%3A1%2Felsewhere%3Fq%3D1"));

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal("http://127.0.0.1:1/elsewhere?q=1", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Redirect_WithoutTo_Answers400()
    {
        using var http = Client();

        using var response = await http.GetAsync(new Uri(echo.BaseAddress, "redirect"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Theory]
    [InlineData(404)]
    [InlineData(503)]
    public async Task Status_Path_AnswersThatStatusWithTheEcho(int status)
    {
        using var http = Client();
        using var content = new StringContent("payload");

        using var response = await http.PostAsync(new Uri(echo.BaseAddress, $"status/{status}"), content);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("payload", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task LargeChunkedBody_IsEchoedUnchanged()
    {
        using var http = Client();
        var body = new byte[3 * 1024 * 1024 + 17];
        new Random(4).NextBytes(body);
        // No Content-Length: the provider must handle a chunked request body too.
        using var content = new StreamContent(new NonSeekableStream(body));
        content.Headers.ContentType = new("application/octet-stream");

        using var response = await http.PostAsync(new Uri(echo.BaseAddress, "big"), content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(body, await response.Content.ReadAsByteArrayAsync());
        Assert.Equal("application/octet-stream", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Echo_OnABusyPort_ExitsNonZero()
    {
        using var busy = new TcpListener(IPAddress.Loopback, 0);
        busy.Start();
        var port = ((IPEndPoint)busy.LocalEndpoint).Port;

        await using var second = ExeProcess.Start(Binaries.Quickstart, "echo", "--urls", $"http://127.0.0.1:{port}", "--headless");

        Assert.NotEqual(0, await second.WaitForExitAsync(TimeSpan.FromSeconds(60)));
    }

    private static HttpClient Client() => new(new SocketsHttpHandler { AllowAutoRedirect = false, UseProxy = false }) { Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>A stream whose length HttpClient cannot know, so the body goes chunked.</summary>
    private sealed class NonSeekableStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}
