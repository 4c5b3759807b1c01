using System.Net;
using ExchangeGateway.Common.Results;
using ExchangeGateway.SecurityServer.Registry;

namespace ExchangeGateway.SecurityServer.Descriptions;

/// <summary>
/// Fetches description documents over http or https: GET only, at most <see cref="MaxDocumentBytes"/>
/// (refused as soon as more arrive), bounded by the client's timeouts. No other scheme is ever opened.
/// </summary>
public sealed class DescriptionFetcher
{
    /// <summary>The largest document fetched or uploaded: 10 MiB.</summary>
    public const int MaxDocumentBytes = 10 * 1024 * 1024;

    /// <summary>The code of a fetch failure.</summary>
    public const string FetchFailedCode = "description.fetch_failed";

    private readonly HttpClient _http;

    /// <summary>Uses <paramref name="http"/>, whose timeouts bound every fetch.</summary>
    public DescriptionFetcher(HttpClient http)
    {
        ArgumentNullException.ThrowIfNull(http);
        _http = http;
    }

    /// <summary>
    /// An <see cref="HttpClient"/> for fetching: 10 s to connect, 30 s in all, at most 3 redirects (the handler
    /// follows only http and https), no cookies, no proxy credentials.
    /// </summary>
    public static HttpClient CreateHttpClient() => new(new SocketsHttpHandler
    {
        ConnectTimeout = TimeSpan.FromSeconds(10),
        AllowAutoRedirect = true,
        MaxAutomaticRedirections = 3,
        UseCookies = false,
        AutomaticDecompression = DecompressionMethods.None,
    })
    {
        Timeout = TimeSpan.FromSeconds(30),
        MaxResponseContentBufferSize = MaxDocumentBytes,
    };

    /// <summary>Fetches <paramref name="url"/>; the failure says why (<see cref="FetchFailedCode"/>), never with the body.</summary>
    public async Task<ParseResult<byte[]>> FetchAsync(string url, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (LocalConfigurationRules.CheckDescriptionUrl(url) is { } problem)
        {
            return ParseResult<byte[]>.Fail(DescriptionErrors.InvalidDescription, $"The description URL {problem}.");
        }

        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                return Fail($"{url} answered HTTP {(int)response.StatusCode}.");
            }

            if (response.Content.Headers.ContentLength is > MaxDocumentBytes)
            {
                return Fail($"{url} sent a document larger than {MaxDocumentBytes} bytes.");
            }

            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                var buffer = new MemoryStream();
                var chunk = new byte[81920];
                int read;
                while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    if (buffer.Length + read > MaxDocumentBytes)
                    {
                        return Fail($"{url} sent a document larger than {MaxDocumentBytes} bytes.");
                    }

                    buffer.Write(chunk, 0, read);
                }

                return ParseResult<byte[]>.Ok(buffer.ToArray());
            }
        }
        catch (HttpRequestException ex)
        {
            return Fail($"{url} could not be fetched: {ex.Message}");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Fail($"{url} did not answer in time.");
        }
    }

    private static ParseResult<byte[]> Fail(string message) => ParseResult<byte[]>.Fail(FetchFailedCode, message);
}
