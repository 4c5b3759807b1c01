using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ExchangeGateway.Cli.Tests;

/// <summary>One request as the stub received it: the raw request target (percent-encoding intact), headers and body bytes.</summary>
internal sealed record RecordedRequest(string Method, string RawTarget, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var v) ? v : null;

    public string BodyText => Encoding.UTF8.GetString(Body);
}

/// <summary>A scripted answer.</summary>
internal sealed record StubResponse(int Status, string? Body = null, string ContentType = "application/json", IReadOnlyDictionary<string, string>? Headers = null, TimeSpan Delay = default)
{
    public static StubResponse Json(int status, string body) => new(status, body);

    public static StubResponse Problem(int status, string code, string detail) =>
        new(status, $$"""{"type":"urn:exchange-gateway:problem:{{code}}","title":"{{code}}","status":{{status}},"detail":"{{detail}}","code":"{{code}}"}""", "application/problem+json");
}

/// <summary>
/// A stub of the admin API on a real Kestrel listener (127.0.0.1, OS-assigned port). It records every request
/// exactly as received and answers from a script keyed by <c>METHOD raw-target</c>; the last scripted answer
/// of a route repeats. An unscripted request gets 500 <c>stub.unscripted</c>, so a wrong path fails a test loudly.
/// </summary>
internal sealed class StubAdminApi : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, ConcurrentQueue<StubResponse>> _script = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();

    private StubAdminApi(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    public Uri Url { get; }

    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    public static async Task<StubAdminApi> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        StubAdminApi? stub = null;
        app.Run(async context => await stub!.HandleAsync(context));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        stub = new StubAdminApi(app, new Uri(address));
        return stub;
    }

    /// <summary>Scripts the answers of <c>METHOD target</c>, in order; the last repeats.</summary>
    public void On(string method, string rawTarget, params StubResponse[] responses)
    {
        var queue = _script.GetOrAdd(method + " " + rawTarget, _ => new ConcurrentQueue<StubResponse>());
        foreach (var r in responses)
        {
            queue.Enqueue(r);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var target = context.Features.Get<IHttpRequestFeature>()!.RawTarget;
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        _requests.Enqueue(new RecordedRequest(context.Request.Method, target, headers, body.ToArray()));

        StubResponse response;
        if (_script.TryGetValue(context.Request.Method + " " + target, out var queue) && !queue.IsEmpty)
        {
            if (queue.Count > 1)
            {
                queue.TryDequeue(out response!);
            }
            else
            {
                queue.TryPeek(out response!);
            }
        }
        else
        {
            response = StubResponse.Problem(500, "stub.unscripted", $"no answer scripted for {context.Request.Method} {target}");
        }

        if (response.Delay > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(response.Delay, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        context.Response.StatusCode = response.Status;
        foreach (var (name, value) in response.Headers ?? new Dictionary<string, string>())
        {
            context.Response.Headers[name] = value;
        }

        if (response.Body is not null)
        {
            context.Response.ContentType = response.ContentType;
            await context.Response.WriteAsync(response.Body);
        }
    }
}
