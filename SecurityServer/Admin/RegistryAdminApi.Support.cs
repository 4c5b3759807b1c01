using System.Buffers;
using System.Text.Json;
using ExchangeGateway.SecurityServer.Onboarding;
using ExchangeGateway.Signer.Tokens;

namespace ExchangeGateway.SecurityServer.Admin;

/// <summary>Helpers shared by the admin API's areas: small JSON bodies, optional components, and Signer and onboarding outcomes.</summary>
public static partial class RegistryAdminApi
{
    /// <summary>Reads a small JSON body into <typeparamref name="T"/> strictly (unknown members, duplicates and missing required members refused).</summary>
    private static async Task<(T? Value, AdminFailure? Failure)> ReadJsonAsync<T>(HttpContext context, string shape)
        where T : class
    {
        var (body, bodyFailure) = await AdminBody.ReadAsync(context).ConfigureAwait(false);
        if (bodyFailure is not null)
        {
            return (null, bodyFailure);
        }

        try
        {
            var value = JsonSerializer.Deserialize<T>(body, Json);
            return value is null ? (null, Invalid($"The body must be {shape}.")) : (value, null);
        }
        catch (JsonException ex)
        {
            // The serializer's message can quote input; only its path is echoed.
            return (null, Invalid($"The body must be {shape} (at {ex.Path ?? "$"})."));
        }
    }

    /// <summary>A component that the host may not have registered (the token, onboarding, the message log): 503 <c>admin.unavailable</c> when absent.</summary>
    private static (T? Service, AdminFailure? Failure) Optional<T>(HttpContext context, string what)
        where T : class
    {
        var service = context.RequestServices.GetService<T>();
        return service is null
            ? (null, new AdminFailure(AdminFailureKind.Unavailable, $"This server runs without {what}."))
            : (service, null);
    }

    /// <summary>202 with the Central Server's request id and state, or the onboarding failure.</summary>
    private static IResult Accepted(OnboardingResult result) => result.Success
        ? Results.Json(new { requestId = result.RequestId, requestState = result.RequestState }, Json, statusCode: StatusCodes.Status202Accepted)
        : AdminFailure.Delegated(result.Code!, result.Message).ToResult();

    private static AdminFailure Failed(TokenResult result) => AdminFailure.Delegated(result.Code!, result.Message);

    private static AdminFailure Failed<T>(TokenResult<T> result)
        where T : class => AdminFailure.Delegated(result.Code!, result.Message);

    private static IResult WrittenJson(Action<Utf8JsonWriter> write, int status = StatusCodes.Status200OK) => JsonBytes(WriteJsonBytes(write), status);

    private static byte[] WriteJsonBytes(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            write(w);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteNullableString(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null)
        {
            w.WriteNull(name);
        }
        else
        {
            w.WriteString(name, value);
        }
    }

    private static void WriteNullableTime(Utf8JsonWriter w, string name, DateTimeOffset? value)
    {
        if (value is { } t)
        {
            w.WriteString(name, t.ToUniversalTime());
        }
        else
        {
            w.WriteNull(name);
        }
    }
}
