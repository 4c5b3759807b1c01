using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ExchangeGateway.Cli;

/// <summary>
/// A small typed client of the security server's admin API (<c>/api/v1</c>, ISSUE6-CONTRACTS.md): one
/// method per route. Success returns the response JSON as the server sent it; a refusal throws
/// <see cref="AdminApiException"/> with the problem's code; a server that cannot be reached surfaces as
/// <see cref="HttpRequestException"/> or, on a timeout, <see cref="TaskCanceledException"/>.
/// Identifiers in paths are sent as one percent-encoded segment (<c>DEV%2FGOV%2F123%2Fsub</c>).
/// </summary>
public sealed partial class AdminClient
{
    /// <summary>The largest JSON or PEM response read into memory.</summary>
    public const int MaxResponseBytes = 16 * 1024 * 1024;

    private const string ApiPrefix = "api/v1/";
    private readonly HttpClient _http;
    private readonly Uri _root;
    private readonly string? _apiKey;

    /// <summary>Creates a client for the admin listener at <paramref name="serverUrl"/> (e.g. <c>http://127.0.0.1:4000</c>).</summary>
    /// <param name="http">The HTTP client; the caller owns it and sets its timeout.</param>
    /// <param name="serverUrl">The admin listener's absolute http or https URL.</param>
    /// <param name="apiKey">The API key, sent as <c>Authorization: X-Api-Key {key}</c>; null for the endpoints that need none.</param>
    public AdminClient(HttpClient http, Uri serverUrl, string? apiKey)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(serverUrl);
        if (!serverUrl.IsAbsoluteUri || (serverUrl.Scheme != Uri.UriSchemeHttp && serverUrl.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException("The server URL must be an absolute http or https URL.", nameof(serverUrl));
        }

        _http = http;
        var text = serverUrl.GetLeftPart(UriPartial.Path);
        _root = new Uri(text.EndsWith('/') ? text : text + "/", UriKind.Absolute);
        _apiKey = apiKey;
    }

    /// <summary>Percent-encodes one path segment (an identifier may contain <c>/</c>).</summary>
    public static string Segment(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return Uri.EscapeDataString(value);
    }

    /// <summary><c>GET /health/ready</c> (no key): the status (200 ready, 503 not) and the readiness JSON; never throws for 503.</summary>
    public async Task<AdminResponse> GetReadinessAsync(CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_root, "health/ready"));
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        var body = await ReadBoundedAsync(response.Content, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable)
        {
            return new AdminResponse((int)response.StatusCode, ParseJson(body));
        }

        throw Refusal(response, body);
    }

    private Task<JsonElement> GetAsync(string path, CancellationToken cancellationToken) =>
        SendJsonAsync(HttpMethod.Get, path, null, cancellationToken);

    private Task<JsonElement> PostAsync(string path, JsonObject? body, CancellationToken cancellationToken) =>
        SendJsonAsync(HttpMethod.Post, path, body is null ? null : JsonContent(body), cancellationToken);

    private Task<JsonElement> PutAsync(string path, JsonNode body, CancellationToken cancellationToken) =>
        SendJsonAsync(HttpMethod.Put, path, JsonContent(body), cancellationToken);

    private Task<JsonElement> PatchAsync(string path, JsonObject body, CancellationToken cancellationToken) =>
        SendJsonAsync(HttpMethod.Patch, path, JsonContent(body), cancellationToken);

    private Task<JsonElement> DeleteAsync(string path, CancellationToken cancellationToken) =>
        SendJsonAsync(HttpMethod.Delete, path, null, cancellationToken);

    private async Task<JsonElement> SendJsonAsync(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken)
    {
        var body = await SendAsync(method, path, content, cancellationToken).ConfigureAwait(false);
        return ParseJson(body);
    }

    private async Task<byte[]> SendAsync(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken)
    {
        using var request = Request(method, path, content);
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        var body = await ReadBoundedAsync(response.Content, cancellationToken).ConfigureAwait(false);
        return response.IsSuccessStatusCode ? body : throw Refusal(response, body);
    }

    /// <summary>Sends a request and copies a successful body to <paramref name="destination"/> (large downloads); returns the bytes copied.</summary>
    private async Task<long> DownloadAsync(string path, Stream destination, CancellationToken cancellationToken)
    {
        using var request = Request(HttpMethod.Get, path, null);
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            var body = await ReadBoundedAsync(response.Content, cancellationToken).ConfigureAwait(false);
            throw Refusal(response, body);
        }

        var source = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (source.ConfigureAwait(false))
        {
            var copied = 0L;
            var buffer = new byte[81920];
            int read;
            while ((read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                copied += read;
            }

            return copied;
        }
    }

    private HttpRequestMessage Request(HttpMethod method, string path, HttpContent? content)
    {
        var request = new HttpRequestMessage(method, new Uri(_root, ApiPrefix + path)) { Content = content };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/problem+json"));
        if (_apiKey is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", "X-Api-Key " + _apiKey);
        }

        return request;
    }

    private static ByteArrayContent JsonContent(JsonNode body)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body.ToJsonString()));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        return content;
    }

    private static ByteArrayContent BinaryContent(ReadOnlyMemory<byte> bytes, string mediaType)
    {
        var content = new ByteArrayContent(bytes.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        return content;
    }

    private static async Task<byte[]> ReadBoundedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        if (content.Headers.ContentLength is > MaxResponseBytes)
        {
            throw new InvalidDataException($"The response is larger than {MaxResponseBytes} bytes.");
        }

        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            using var buffer = new MemoryStream();
            var chunk = new byte[16384];
            int read;
            while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > MaxResponseBytes)
                {
                    throw new InvalidDataException($"The response is larger than {MaxResponseBytes} bytes.");
                }

                buffer.Write(chunk, 0, read);
            }

            return buffer.ToArray();
        }
    }

    private static JsonElement ParseJson(byte[] body)
    {
        if (body.Length == 0)
        {
            return default;
        }

        try
        {
            using var document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 64 });
            return document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException("The admin API answered with a body that is not JSON.", ex);
        }
    }

    /// <summary>The exception for a non-success response: the problem's code and detail, else <c>http.{status}</c> and the reason phrase.</summary>
    private static AdminApiException Refusal(HttpResponseMessage response, byte[] body)
    {
        var status = (int)response.StatusCode;
        string? code = null;
        string? message = null;
        if (body.Length > 0)
        {
            try
            {
                using var document = JsonDocument.Parse(body);
                if (document.RootElement.ValueKind == JsonValueKind.Object)
                {
                    code = Text(document.RootElement, "code") ?? Text(document.RootElement, "title");
                    message = Text(document.RootElement, "detail") ?? Text(document.RootElement, "title");
                }
            }
            catch (JsonException)
            {
                // Not problem details (e.g. a proxy's HTML page): fall back to the status.
            }
        }

        TimeSpan? retryAfter = response.Headers.RetryAfter?.Delta;
        return new AdminApiException(
            code ?? string.Create(CultureInfo.InvariantCulture, $"http.{status}"),
            message ?? (response.ReasonPhrase is { Length: > 0 } reason ? reason : string.Create(CultureInfo.InvariantCulture, $"HTTP {status}")),
            status)
        {
            RetryAfter = retryAfter,
        };

        static string? Text(JsonElement o, string name) =>
            o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } s ? s : null;
    }

    private static JsonObject Body(params (string Name, JsonNode? Value)[] members)
    {
        var o = new JsonObject();
        foreach (var (name, value) in members)
        {
            if (value is not null)
            {
                o[name] = value;
            }
        }

        return o;
    }
}
