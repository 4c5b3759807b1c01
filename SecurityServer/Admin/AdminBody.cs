using ExchangeGateway.SecurityServer.Registry;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace ExchangeGateway.SecurityServer.Admin;

/// <summary>
/// Reads admin request bodies: JSON media type (415 otherwise) and at most
/// <see cref="ServiceRegistryOptions.MaxAdminRequestBytes"/> whatever the framing (413 otherwise). The
/// bytes then go to the strict reader of <see cref="LocalConfigurationSerializer"/>.
/// </summary>
internal static class AdminBody
{
    internal static Task<(byte[]? Body, AdminFailure? Failure)> ReadAsync(HttpContext context) => ReadAsync(context, MaxBytes(context));

    /// <summary>As <see cref="ReadAsync(HttpContext)"/> with its own cap, for bodies that carry documents.</summary>
    internal static async Task<(byte[]? Body, AdminFailure? Failure)> ReadAsync(HttpContext context, int max)
    {
        var request = context.Request;
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType)
            || !(mediaType.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
                 || mediaType.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase)))
        {
            return (null, new AdminFailure(AdminFailureKind.UnsupportedMediaType, "The body must be JSON (Content-Type: application/json)."));
        }

        var body = await ReadBoundedAsync(context, max).ConfigureAwait(false);
        return body is null
            ? (null, new AdminFailure(AdminFailureKind.TooLarge, $"The body exceeds {max} bytes."))
            : (body, null);
    }

    /// <summary>
    /// Reads a body of one of <paramref name="mediaTypes"/> (415 otherwise; a missing Content-Type counts as
    /// the first), at most <paramref name="max"/> bytes (413 otherwise). Returns the media type matched.
    /// </summary>
    internal static async Task<(byte[]? Body, string? MediaType, AdminFailure? Failure)> ReadRawAsync(HttpContext context, int max, params string[] mediaTypes)
    {
        string matched;
        if (string.IsNullOrEmpty(context.Request.ContentType))
        {
            matched = mediaTypes[0];
        }
        else if (MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var given)
            && mediaTypes.FirstOrDefault(t => given.MediaType.Equals(t, StringComparison.OrdinalIgnoreCase)) is { } found)
        {
            matched = found;
        }
        else
        {
            return (null, null, new AdminFailure(AdminFailureKind.UnsupportedMediaType, $"The body must be one of: {string.Join(", ", mediaTypes)}."));
        }

        var body = await ReadBoundedAsync(context, max).ConfigureAwait(false);
        return body is null
            ? (null, null, new AdminFailure(AdminFailureKind.TooLarge, $"The body exceeds {max} bytes."))
            : (body, matched, null);
    }

    internal static int MaxBytes(HttpContext context) =>
        context.RequestServices.GetRequiredService<IOptions<ServiceRegistryOptions>>().Value.MaxAdminRequestBytes;

    /// <summary>
    /// Reads at most <paramref name="maxBytes"/>; null when the body is larger. A declared Content-Length over
    /// the cap is refused before reading; a chunked body is read one byte past the cap and no further.
    /// </summary>
    private static async Task<byte[]?> ReadBoundedAsync(HttpContext context, int maxBytes)
    {
        var request = context.Request;
        if (request.ContentLength is { } declared && declared > maxBytes)
        {
            return null;
        }

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
