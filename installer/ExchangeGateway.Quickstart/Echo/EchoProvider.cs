using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ExchangeGateway.Quickstart.Echo;

/// <summary>
/// The sample provider information system: answers any method on any path with what it received.
/// <list type="bullet">
/// <item>Status 200 and the request body streamed back unchanged, with the request's <c>Content-Type</c>
/// (and <c>Content-Length</c> when the request had one).</item>
/// <item>Always a <c>X-Echo-Request</c> response header: compact JSON
/// <c>{"method":…,"target":…,"headers":{name:[values…]}}</c> with the raw path and query exactly as received and
/// every request header (non-ASCII escaped, so it is a valid header value).</item>
/// <item>When the request has no body, that JSON is also the response body (<c>application/json</c>).</item>
/// <item><c>/redirect?to=URL</c> answers 302 with <c>Location: URL</c>, so tests can check redirects are passed back, not followed.</item>
/// <item><c>/status/NNN</c> (200–599) answers with that status, otherwise as above, so tests can check errors pass through.</item>
/// <item><c>/soap</c> is an X-Road 4.0 SOAP provider instead (<see cref="EchoSoapService"/>), its WSDL at <c>/soap?wsdl</c>.</item>
/// </list>
/// </summary>
internal static class EchoProvider
{
    /// <summary>The response header holding the JSON summary of the request.</summary>
    public const string SummaryHeader = "X-Echo-Request";

    private const int BufferSize = 16 * 1024;

    /// <summary>Builds the provider listening on <paramref name="url"/> (port 0 picks a free one; read it from <c>app.Urls</c> after start).</summary>
    public static WebApplication Build(string url)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(url);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = null;
            // Large request targets and headers are what a gateway test wants to push through.
            k.Limits.MaxRequestHeadersTotalSize = 64 * 1024;
            k.Limits.MaxRequestLineSize = 16 * 1024;
        });
        builder.Services.Configure<KestrelServerOptions>(o => o.AllowSynchronousIO = false);
        var app = builder.Build();
        app.Run(HandleAsync);
        return app;
    }

    private static async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var response = context.Response;
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? (request.PathBase + request.Path + request.QueryString).ToString();
        var summary = Summary(request.Method, target, request.Headers);
        response.Headers[SummaryHeader] = summary;
        if (request.Path.Equals(EchoSoapService.Path, StringComparison.Ordinal))
        {
            await EchoSoapService.HandleAsync(context).ConfigureAwait(false);
            return;
        }

        if (request.Path.Equals("/redirect", StringComparison.Ordinal))
        {
            var to = request.Query["to"].ToString();
            if (to.Length == 0)
            {
                response.StatusCode = StatusCodes.Status400BadRequest;
                response.ContentType = "text/plain; charset=utf-8";
                await response.WriteAsync("/redirect needs ?to=URL\n", context.RequestAborted).ConfigureAwait(false);
                return;
            }

            response.StatusCode = StatusCodes.Status302Found;
            response.Headers.Location = to;
            return;
        }

        if (request.Path.StartsWithSegments("/status", StringComparison.Ordinal, out var rest)
            && int.TryParse(rest.Value.AsSpan().TrimStart('/'), NumberStyles.None, CultureInfo.InvariantCulture, out var status)
            && status is >= 200 and <= 599)
        {
            response.StatusCode = status;
            if (status is StatusCodes.Status204NoContent or StatusCodes.Status304NotModified)
            {
                return;
            }
        }

        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            var first = request.ContentLength == 0 ? 0 : await request.Body.ReadAsync(buffer.AsMemory(0, BufferSize), context.RequestAborted).ConfigureAwait(false);
            if (first == 0)
            {
                var bytes = Encoding.UTF8.GetBytes(summary);
                response.ContentType = "application/json";
                response.ContentLength = bytes.Length;
                await response.Body.WriteAsync(bytes, context.RequestAborted).ConfigureAwait(false);
                return;
            }

            if (request.ContentType is { Length: > 0 } contentType)
            {
                response.ContentType = contentType;
            }

            response.ContentLength = request.ContentLength;
            await response.Body.WriteAsync(buffer.AsMemory(0, first), context.RequestAborted).ConfigureAwait(false);
            int read;
            while ((read = await request.Body.ReadAsync(buffer.AsMemory(0, BufferSize), context.RequestAborted).ConfigureAwait(false)) > 0)
            {
                await response.Body.WriteAsync(buffer.AsMemory(0, read), context.RequestAborted).ConfigureAwait(false);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static string Summary(string method, string target, IHeaderDictionary headers)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteString("method", method);
            json.WriteString("target", target);
            json.WriteStartObject("headers");
            foreach (var header in headers)
            {
                json.WriteStartArray(header.Key);
                foreach (var value in header.Value)
                {
                    json.WriteStringValue(value);
                }

                json.WriteEndArray();
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        // The default encoder escapes every non-ASCII and control character, so this is a valid header value.
        return Encoding.ASCII.GetString(stream.GetBuffer(), 0, (int)stream.Length);
    }
}
