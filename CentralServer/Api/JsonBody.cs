using System.Text.Json;
using System.Text.Json.Serialization;
using ExchangeGateway.CentralServer.Errors;
using ExchangeGateway.CentralServer.Hosting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace ExchangeGateway.CentralServer.Api;

/// <summary>
/// The one way the admin API reads request bodies: JSON media type, capped size whatever the framing,
/// strict parsing (unknown or duplicate properties, missing required ones, nulls where not allowed and
/// invalid UTF-8 are all rejected).
/// </summary>
internal static class JsonBody
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        AllowDuplicateProperties = false,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        MaxDepth = 16,
        NumberHandling = JsonNumberHandling.Strict,
    };

    internal static async Task<Result<T>> ReadAsync<T>(HttpContext context)
        where T : class
    {
        var request = context.Request;
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType)
            || !(mediaType.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
                 || mediaType.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase)))
        {
            return new Failure(FailureKind.UnsupportedMediaType, "The body must be JSON (Content-Type: application/json).");
        }

        var max = context.RequestServices.GetRequiredService<IOptions<CentralServerOptions>>().Value.MaxRequestBytes;
        var body = await ReadBoundedAsync(context, max).ConfigureAwait(false);
        if (body is null)
        {
            return new Failure(FailureKind.TooLarge, $"The body exceeds {max} bytes.");
        }

        try
        {
            var value = JsonSerializer.Deserialize<T>(body, Options);
            return value is null ? Failure.Invalid("The body must be a JSON object.") : value;
        }
        catch (JsonException ex)
        {
            // The serializer's message can quote input; only its path is echoed.
            return Failure.Invalid($"The body is not valid for this operation (at {ex.Path ?? "$"}): required properties, types, unknown or duplicate properties.");
        }
    }

    /// <summary>
    /// Reads at most <paramref name="maxBytes"/>; null when the body is larger. A declared Content-Length
    /// over the cap is refused before reading; a chunked body is read one byte past the cap and no further.
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
