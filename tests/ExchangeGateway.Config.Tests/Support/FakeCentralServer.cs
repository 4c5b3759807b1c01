using ExchangeGateway.Testing.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ExchangeGateway.Config.Tests.Support;

/// <summary>A real Kestrel host on 127.0.0.1 serving whatever the test sets at <c>/globalconf</c>.</summary>
internal sealed class FakeCentralServer : IAsyncDisposable
{
    private volatile Func<HttpContext, Task> _handler = ctx =>
    {
        ctx.Response.StatusCode = StatusCodes.Status404NotFound;
        return Task.CompletedTask;
    };

    private FakeCentralServer(LoopbackHost host)
    {
        Host = host;
    }

    public LoopbackHost Host { get; }

    public string Url => new Uri(Host.BaseAddress, "globalconf").ToString();

    public int Requests;

    public static async Task<FakeCentralServer> StartAsync()
    {
        FakeCentralServer? server = null;
        var host = await LoopbackHost.StartAsync(null, app => app.MapGet("/globalconf", (RequestDelegate)(ctx =>
        {
            Interlocked.Increment(ref server!.Requests);
            return server._handler(ctx);
        })));
        server = new FakeCentralServer(host);
        return server;
    }

    public void Serve(byte[] body) => _handler = async ctx =>
    {
        ctx.Response.ContentType = "application/vnd.exchangegateway.signed-global-conf+json";
        ctx.Response.ContentLength = body.Length;
        await ctx.Response.Body.WriteAsync(body, ctx.RequestAborted);
    };

    public void Fail(int status) => _handler = ctx =>
    {
        ctx.Response.StatusCode = status;
        return Task.CompletedTask;
    };

    public void Handle(Func<HttpContext, Task> handler) => _handler = handler;

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}
