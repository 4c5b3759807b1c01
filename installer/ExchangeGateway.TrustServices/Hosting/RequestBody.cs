using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;

namespace ExchangeGateway.TrustServices.Hosting;

/// <summary>The one way the trust-service endpoints read request bodies: capped, whatever the framing.</summary>
public static class RequestBody
{
    /// <summary>True when the request's Content-Type names <paramref name="mediaType"/> (parameters ignored).</summary>
    public static bool HasMediaType(HttpRequest request, string mediaType)
    {
        ArgumentNullException.ThrowIfNull(request);
        return MediaTypeHeaderValue.TryParse(request.ContentType, out var parsed)
            && parsed.MediaType.Equals(mediaType, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Reads at most <paramref name="maxBytes"/>. Returns null when the body is larger, and the caller
    /// answers 413. A declared Content-Length over the cap is refused before anything is read; a
    /// chunked body is read one byte past the cap and no further.
    /// </summary>
    public static async Task<byte[]?> ReadBoundedAsync(HttpContext context, int maxBytes)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;
        if (request.ContentLength is { } declared && declared > maxBytes)
        {
            return null;
        }

        // Tighten Kestrel's own limit too, so the server stops buffering as soon as the cap is passed.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = maxBytes + 1L;
        }

        var buffer = new byte[maxBytes + 1];
        var total = 0;
        try
        {
            while (total < buffer.Length)
            {
                var read = await request.Body.ReadAsync(buffer.AsMemory(total), context.RequestAborted).ConfigureAwait(false);
                if (read == 0)
                {
                    return buffer.AsSpan(0, total).ToArray();
                }

                total += read;
            }
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return null;
        }

        return null;
    }
}
