using System.Net;
using System.Text;
using ExchangeGateway.Common.Errors;

namespace ExchangeGateway.SecurityServer.Tests.Exchange;

[CollectionDefinition(Name)]
public sealed class FederationCollection : ICollectionFixture<Federation>
{
    public const string Name = "federation";
}

/// <summary>The signed, logged REST exchange through two real security servers (issue #4, must show).</summary>
[Collection(FederationCollection.Name)]
public sealed class RestExchangeTests
{
    private readonly Federation _f;

    public RestExchangeTests(Federation federation)
    {
        _f = federation;
    }

    [Fact]
    public async Task Post_WithBodyQueryAndHeaders_ArrivesUnchangedAndAnswersWithXRoadHeaders()
    {
        var id = Guid.NewGuid().ToString();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"r1/{Federation.ProviderSubsystem}/echo/a%20b/c%C3%BCd?x=1&y=%C3%BC%2F&z")
        {
            Content = new StringContent("{\"hello\":\"world\"}", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Road-Client", Federation.Consumer);
        request.Headers.Add("X-Road-Id", id);
        request.Headers.Add("X-Road-UserId", "EE12345678901");
        request.Headers.Add("X-Custom", "kept");
        request.Headers.UserAgent.ParseAdd("secret-agent/1.0");
        using var response = await _f.ClientProxy.SendAsync(request);

        Assert.True(HttpStatusCode.OK == response.StatusCode, await response.Content.ReadAsStringAsync());
        Assert.Equal("{\"hello\":\"world\"}", await response.Content.ReadAsStringAsync());
        Assert.Equal(Federation.Consumer, response.Headers.GetValues("X-Road-Client").Single());
        Assert.Equal($"{Federation.ProviderSubsystem}/echo", response.Headers.GetValues("X-Road-Service").Single());
        Assert.Equal(id, response.Headers.GetValues("X-Road-Id").Single());
        Assert.True(Guid.TryParse(response.Headers.GetValues("X-Road-Request-Id").Single(), out _));
        Assert.NotEmpty(response.Headers.GetValues("X-Road-Request-Hash").Single());

        var seen = _f.Provider.Received.Last(r => r.RawTarget.StartsWith("/a%20b", StringComparison.Ordinal));
        Assert.Equal("POST", seen.Method);
        Assert.Equal("/a%20b/c%C3%BCd?x=1&y=%C3%BC%2F&z", seen.RawTarget);
        Assert.Equal("kept", seen.Headers["X-Custom"]);
        Assert.DoesNotContain("X-Road-Client", seen.Headers.Keys);
        Assert.False(seen.Headers.TryGetValue("User-Agent", out var agent) && agent.Contains("secret-agent", StringComparison.Ordinal));

        // Both servers logged the request and the response, with this message id.
        Assert.Equal(2, _f.CountRecords("ss1", id));
        Assert.Equal(2, _f.CountRecords("ss2", id));
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    [InlineData("PATCH")]
    public async Task AnyMethod_ReachesTheProvider(string method)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), $"r1/{Federation.ProviderSubsystem}/echo/items/1");
        if (method is "PUT" or "PATCH")
        {
            request.Content = new ByteArrayContent([1, 2, 3]);
        }

        request.Headers.Add("X-Road-Client", Federation.Consumer);
        using var response = await _f.ClientProxy.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(method, response.Headers.GetValues("X-Echo-Method").Single());
        Assert.NotEqual("provider-must-not-set-this", response.Headers.GetValues("X-Road-Id").Single());
    }

    [Fact]
    public async Task Redirect_IsPassedBackNotFollowed()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"r1/{Federation.ProviderSubsystem}/echo/redirect");
        request.Headers.Add("X-Road-Client", Federation.Consumer);
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = _f.ClientProxy.BaseAddress };
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal("/elsewhere?x=1", response.Headers.Location!.OriginalString);
        Assert.DoesNotContain(_f.Provider.Received, r => r.RawTarget.StartsWith("/elsewhere", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PinnedSecurityServer_IsUsed_AndAnUnknownOneIsRefused()
    {
        using var pinned = new HttpRequestMessage(HttpMethod.Get, $"r1/{Federation.ProviderSubsystem}/echo/pinned");
        pinned.Headers.Add("X-Road-Client", Federation.Consumer);
        pinned.Headers.Add("X-Road-Security-Server", Federation.Ss2);
        using (var response = await _f.ClientProxy.SendAsync(pinned))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var marker = Guid.NewGuid().ToString("N");
        using var wrong = new HttpRequestMessage(HttpMethod.Get, $"r1/{Federation.ProviderSubsystem}/echo/{marker}");
        wrong.Headers.Add("X-Road-Client", Federation.Consumer);
        wrong.Headers.Add("X-Road-Security-Server", Federation.Ss1);
        using var refused = await _f.ClientProxy.SendAsync(wrong);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("client.invalid_security_server", refused.Headers.GetValues("X-Road-Error").Single());
        Assert.DoesNotContain(_f.Provider.Received, r => r.RawTarget.Contains(marker, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AdminPort_ReportsReadinessAndMetrics()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"r1/{Federation.ProviderSubsystem}/echo/metrics");
        request.Headers.Add("X-Road-Client", Federation.Consumer);
        using (var ok = await _f.ClientProxy.SendAsync(request))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        using var admin = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_f.Ports1.Admin}/") };
        using var ready = await admin.GetAsync("health/ready");
        var readiness = await ready.Content.ReadAsStringAsync();
        Assert.True(ready.StatusCode == HttpStatusCode.OK, readiness);
        Assert.Contains("\"messageLog\"", readiness, StringComparison.Ordinal);
        Assert.Equal("live", await admin.GetStringAsync("health/live"));

        var metrics = await admin.GetStringAsync("metrics");
        Assert.Contains("xgw_exchanges_total{", metrics, StringComparison.Ordinal);
        Assert.Contains("outcome=\"success\"", metrics, StringComparison.Ordinal);
        Assert.Contains("xgw_stage_duration_seconds_bucket{", metrics, StringComparison.Ordinal);
        Assert.Contains("stage=\"sign\"", metrics, StringComparison.Ordinal);
        Assert.Contains("xgw_messagelog_backlog", metrics, StringComparison.Ordinal);
        Assert.Contains("xgw_checkpoint_age_seconds", metrics, StringComparison.Ordinal);

        // The proxies never serve the admin endpoints.
        using var viaProxy = await _f.ClientProxy.GetAsync("metrics");
        Assert.NotEqual(HttpStatusCode.OK, viaProxy.StatusCode);
    }
}
