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
            if (raw.StartsWith("/soap/", StringComparison.Ordinal))
            {
                await SoapAsync(context, raw, buffer.ToArray());
                return;
            }

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

    /// <summary>
    /// A SOAP provider by path: <c>/soap/echo</c> answers the request itself (same header fields in the same
    /// order, same attachments) with the wrapper renamed to <c>…Response</c>; <c>/soap/fault</c> answers a
    /// provider fault; <c>/soap/wrong-echo</c> changes the echoed id; <c>/soap/sets-hash</c> sets its own
    /// <c>xrd:requestHash</c>; <c>/soap/not-xml</c> answers text.
    /// </summary>
    private static async Task SoapAsync(HttpContext context, string raw, byte[] request)
    {
        var text = System.Text.Encoding.Latin1.GetString(request);
        context.Response.StatusCode = 200;
        context.Response.ContentType = context.Request.ContentType;
        switch (raw)
        {
            case "/soap/fault":
                context.Response.StatusCode = 500;
                context.Response.ContentType = "text/xml; charset=utf-8";
                text = SoapFixtures.ProviderFault;
                break;
            case "/soap/wrong-echo":
                text = text.Replace("<xrd:id>", "<xrd:id>other-", StringComparison.Ordinal);
                break;
            case "/soap/sets-hash":
                text = text.Replace("</SOAP-ENV:Header>", "<xrd:requestHash algorithmId=\"http://www.w3.org/2001/04/xmlenc#sha512\">AAAA</xrd:requestHash></SOAP-ENV:Header>", StringComparison.Ordinal);
                break;
            case "/soap/not-xml":
                context.Response.ContentType = "text/plain";
                text = "not soap";
                break;
        }

        text = SoapFixtures.RenameWrapper(text);
        await context.Response.Body.WriteAsync(System.Text.Encoding.Latin1.GetBytes(text));
    }
}

/// <summary>One request as the provider saw it.</summary>
public sealed record ReceivedRequest(string Method, string RawTarget, IReadOnlyDictionary<string, string> Headers, byte[] Body);
