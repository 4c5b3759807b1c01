using ExchangeGateway.Common.Crypto.Ocsp;
using ExchangeGateway.TrustServices.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ExchangeGateway.TrustServices.Ocsp;

/// <summary>Maps an <see cref="OcspResponder"/> onto HTTP as RFC 6960 Appendix A.1 describes.</summary>
public static class OcspEndpointRouteBuilderExtensions
{
    /// <summary>The largest request accepted, in bytes; larger POST bodies get 413. Real requests are under 200 bytes.</summary>
    public const int MaxRequestLength = 16 * 1024;

    /// <summary>
    /// Maps <c>POST {pattern}</c> with an <c>application/ocsp-request</c> body and
    /// <c>GET {pattern}/{url-encoded base64 of the DER request}</c>. Both answer
    /// <c>application/ocsp-response</c> with HTTP 200, including for requests OCSP itself rejects
    /// (those get a malformedRequest response, A.1 leaves HTTP status codes to transport failures).
    /// </summary>
    /// <returns>The route group, for conventions (authorisation, rate limits, metadata).</returns>
    public static RouteGroupBuilder MapOcsp(this IEndpointRouteBuilder endpoints, string pattern, OcspResponder responder)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(responder);

        var group = endpoints.MapGroup(pattern);
        group.MapPost("", (HttpContext context) => HandlePostAsync(context, responder));
        group.MapGet("{**request}", (HttpContext context) => HandleGetAsync(context, responder));
        return group;
    }

    private static async Task HandlePostAsync(HttpContext context, OcspResponder responder)
    {
        if (!RequestBody.HasMediaType(context.Request, OcspClient.RequestMediaType))
        {
            context.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            return;
        }

        var body = await RequestBody.ReadBoundedAsync(context, MaxRequestLength).ConfigureAwait(false);
        if (body is null)
        {
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            return;
        }

        await WriteAsync(context, responder.Respond(body)).ConfigureAwait(false);
    }

    private static Task HandleGetAsync(HttpContext context, OcspResponder responder)
    {
        var encoded = context.Request.RouteValues["request"] as string ?? "";

        // Base64 of at most MaxRequestLength bytes, before URL-encoding can triple it.
        if (encoded.Length > (MaxRequestLength / 3 * 4 + 4) * 3)
        {
            context.Response.StatusCode = StatusCodes.Status414UriTooLong;
            return Task.CompletedTask;
        }

        // A.1: the request is base64 then URL-encoded. The server leaves %2F undecoded in paths (it would
        // change the segments) and some clients do not encode '/', so decode what is left; base64 has no
        // '%', so a second pass cannot corrupt it.
        var base64 = Uri.UnescapeDataString(encoded);
        var der = new byte[base64.Length * 3 / 4 + 3];
        var response = Convert.TryFromBase64String(base64, der, out var length) && length > 0
            ? responder.Respond(der.AsSpan(0, length))
            : OcspResponseBuilder.BuildUnsuccessful(Common.Crypto.Ocsp.OcspResponseStatus.MalformedRequest);
        return WriteAsync(context, response);
    }

    private static Task WriteAsync(HttpContext context, byte[] body)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = OcspClient.ResponseMediaType;
        context.Response.ContentLength = body.Length;
        return context.Response.Body.WriteAsync(body, context.RequestAborted).AsTask();
    }
}
