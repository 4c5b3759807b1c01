using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace ExchangeGateway.LoadBench.Hop;

/// <summary>
/// Case (b)'s plain forwarding hop: Kestrel in, <see cref="SocketsHttpHandler"/> out, bodies streamed both
/// ways, end-to-end headers copied, no security at all. It is the floor any gateway hop has to pay: what
/// is left of (c)'s cost above (b) is signing, verifying, access checks and logging.
/// </summary>
internal static class ForwardingHop
{
    // RFC 9110 §7.6.1 hop-by-hop fields, plus Host (the next hop's own) and the framing the server sets.
    private static readonly HashSet<string> NotForwarded = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Proxy-Authenticate", "Proxy-Authorization", "Proxy-Connection", "TE", "Trailer", "Transfer-Encoding", "Upgrade", "Host",
    };

    public static WebApplication Build(string listenUrl, Uri target)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(listenUrl);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = null;
        });
        var app = builder.Build();
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            MaxConnectionsPerServer = int.MaxValue,
        };
        var client = new HttpMessageInvoker(handler);
        var targetBase = target.GetLeftPart(UriPartial.Authority);
        app.Run(context => ForwardAsync(context, client, targetBase));
        app.Lifetime.ApplicationStopped.Register(client.Dispose);
        return app;
    }

    private static async Task ForwardAsync(HttpContext context, HttpMessageInvoker client, string targetBase)
    {
        var incoming = context.Request;
        var rawTarget = context.Features.Get<IHttpRequestFeature>()!.RawTarget;
        using var request = new HttpRequestMessage(new HttpMethod(incoming.Method), new Uri(targetBase + rawTarget));
        if (incoming.ContentLength > 0 || incoming.Headers.TransferEncoding.Count > 0)
        {
            request.Content = new StreamContent(incoming.Body);
        }

        foreach (var header in incoming.Headers)
        {
            if (NotForwarded.Contains(header.Key))
            {
                continue;
            }

            if (!request.Headers.TryAddWithoutValidation(header.Key, (IEnumerable<string?>)header.Value))
            {
                request.Content?.Headers.TryAddWithoutValidation(header.Key, (IEnumerable<string?>)header.Value);
            }
        }

        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request, context.RequestAborted);
        }
        catch (HttpRequestException)
        {
            context.Response.StatusCode = StatusCodes.Status502BadGateway;
            return;
        }

        using (response)
        {
            var outgoing = context.Response;
            outgoing.StatusCode = (int)response.StatusCode;
            foreach (var header in response.Headers.Concat(response.Content.Headers))
            {
                if (!NotForwarded.Contains(header.Key))
                {
                    outgoing.Headers[header.Key] = header.Value.ToArray();
                }
            }

            await using var body = await response.Content.ReadAsStreamAsync(context.RequestAborted);
            await body.CopyToAsync(outgoing.Body, context.RequestAborted);
        }
    }
}
