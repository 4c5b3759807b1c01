using System.Collections.Concurrent;
using ExchangeGateway.Testing.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace ExchangeGateway.SecurityServer.Tests.Exchange;

/// <summary>A provider IS on loopback that records every request it receives and answers by mode.</summary>
public sealed class FakeProvider : IAsyncDisposable
{
    private readonly LoopbackHost _host;

    private FakeProvider(LoopbackHost host, ConcurrentQueue<ReceivedRequest> received)
    {
        _host = host;
        Received = received;
    }

    /// <summary>What arrived, in order.</summary>
    public ConcurrentQueue<ReceivedRequest> Received { get; }

    /// <summary>The base URL.</summary>
    public Uri BaseAddress => _host.BaseAddress;

    public static async Task<FakeProvider> StartAsync()
    {
        var received = new ConcurrentQueue<ReceivedRequest>();
        var host = await LoopbackHost.StartAsync(null, app => app.Run(async context =>
        {
            var raw = context.Features.Get<IHttpRequestFeature>()!.RawTarget;
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer);
            received.Enqueue(new ReceivedRequest(context.Request.Method, raw, context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), buffer.ToArray()));
            if (raw.StartsWith("/redirect", StringComparison.Ordinal))
            {
                context.Response.StatusCode = 302;
                context.Response.Headers.Location = "/elsewhere?x=1";
                return;
            }

            if (raw.StartsWith("/slow", StringComparison.Ordinal))
            {
                await Task.Delay(TimeSpan.FromSeconds(10), context.RequestAborted);
                return;
            }

            if (raw.StartsWith("/garbage", StringComparison.Ordinal))
            {
                context.Abort();
                return;
            }

            context.Response.StatusCode = 200;
            context.Response.Headers["X-Echo-Method"] = context.Request.Method;
            context.Response.Headers["X-Echo-Target"] = raw;
            context.Response.Headers["X-Road-Id"] = "provider-must-not-set-this";
            context.Response.ContentType = context.Request.ContentType ?? "application/octet-stream";
            await context.Response.Body.WriteAsync(buffer.ToArray());
        }));
        return new FakeProvider(host, received);
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();
}

/// <summary>One request as the provider saw it.</summary>
public sealed record ReceivedRequest(string Method, string RawTarget, IReadOnlyDictionary<string, string> Headers, byte[] Body);
