using ExchangeGateway.Common.Crypto.TimeStamping;
using ExchangeGateway.TrustServices.Hosting;

namespace ExchangeGateway.TrustServices.Tsa;

/// <summary>Maps the RFC 3161 HTTP transport (§3.4) onto a <see cref="TimeStampAuthority"/>.</summary>
public static class TimeStampingEndpointRouteBuilderExtensions
{
    /// <summary>The largest request accepted: a TimeStampReq with a SHA-512 imprint is under 200 bytes.</summary>
    public const int MaxRequestBytes = 16 * 1024;

    /// <summary>
    /// Maps <c>POST {pattern}</c>: body <c>application/timestamp-query</c> (else 415), at most
    /// <see cref="MaxRequestBytes"/> (else 413); answers 200 <c>application/timestamp-reply</c>, with
    /// refusals carried inside the TimeStampResp as RFC 3161 expects.
    /// </summary>
    public static IEndpointConventionBuilder MapTimeStamping(this IEndpointRouteBuilder endpoints, string pattern, TimeStampAuthority authority)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(authority);
        return endpoints.MapPost(pattern, context => HandleAsync(context, authority));
    }

    private static async Task HandleAsync(HttpContext context, TimeStampAuthority authority)
    {
        if (!RequestBody.HasMediaType(context.Request, TimeStampMediaTypes.Query))
        {
            context.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            return;
        }

        var body = await RequestBody.ReadBoundedAsync(context, MaxRequestBytes).ConfigureAwait(false);
        if (body is null)
        {
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            return;
        }

        var reply = authority.Respond(body);
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = TimeStampMediaTypes.Reply;
        context.Response.ContentLength = reply.Length;
        await context.Response.Body.WriteAsync(reply, context.RequestAborted).ConfigureAwait(false);
    }
}
