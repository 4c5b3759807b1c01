using System.Buffers;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ExchangeGateway.Common.Results;

namespace ExchangeGateway.Common.Crypto.Ocsp;

/// <summary>
/// Asks an OCSP responder over HTTP (RFC 6960 Appendix A.1, POST) and verifies the answer. Failures to
/// reach or understand the responder are <see cref="TrustFailure.ServiceUnavailable"/> results, never
/// exceptions, so the caller can keep serving from a still-fresh cached response
/// (RELIABILITY.md row 36). Thread-safe when the given <see cref="HttpClient"/> is.
/// </summary>
public sealed class OcspClient
{
    /// <summary>The OCSP request media type (RFC 6960 Appendix C.1).</summary>
    public const string RequestMediaType = "application/ocsp-request";

    /// <summary>The OCSP response media type (RFC 6960 Appendix C.2).</summary>
    public const string ResponseMediaType = "application/ocsp-response";

    private readonly HttpClient _httpClient;
    private readonly TimeProvider _timeProvider;
    private readonly int _maxResponseLength;

    /// <summary>Creates a client.</summary>
    /// <param name="httpClient">Owned by the caller, with its timeout and handler (no proxy to the responder, usually).</param>
    /// <param name="timeProvider">The clock for the validation time.</param>
    /// <param name="maxResponseLength">Bodies above this many bytes are refused; 64 KiB by default.</param>
    public OcspClient(HttpClient httpClient, TimeProvider timeProvider, int maxResponseLength = OcspResponseVerifier.MaxResponseLength)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxResponseLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxResponseLength, OcspResponseVerifier.MaxResponseLength);
        _httpClient = httpClient;
        _timeProvider = timeProvider;
        _maxResponseLength = maxResponseLength;
    }

    /// <summary>
    /// Fetches and verifies the status of <paramref name="certificate"/>. When
    /// <see cref="OcspVerificationOptions.ExpectedNonce"/> is set it is sent in the request and checked
    /// in the response.
    /// </summary>
    /// <param name="responderUri">The responder URL (from the certificate's AIA or global configuration).</param>
    /// <param name="certificate">The certificate whose status is wanted.</param>
    /// <param name="issuer">Its issuing CA.</param>
    /// <param name="options">Verification options; defaults when null.</param>
    /// <param name="certificateIdHash">CertID hash; SHA-256 by default (SHA-1 for RFC 5019 responders).</param>
    /// <param name="cancellationToken">Cancels the call; cancellation by the caller is rethrown, a timeout is a result.</param>
    public async Task<OcspFetchResult> FetchAsync(
        Uri responderUri,
        X509Certificate2 certificate,
        X509Certificate2 issuer,
        OcspVerificationOptions? options = null,
        HashAlgorithmName? certificateIdHash = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(responderUri);
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(issuer);
        options ??= OcspVerificationOptions.Default;

        var request = OcspRequestBuilder.Build(certificate, issuer, options.ExpectedNonce.Span, certificateIdHash);
        byte[] body;
        try
        {
            body = await PostAsync(responderUri, request, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or IOException)
        {
            // OperationCanceledException without the caller's token is HttpClient's own timeout.
            return Unavailable(responderUri, ex is OperationCanceledException ? "timed out" : ex.Message);
        }
        catch (OcspTransportException ex)
        {
            return Unavailable(responderUri, ex.Message);
        }

        var verification = OcspResponseVerifier.Verify(body, certificate, issuer, _timeProvider.GetUtcNow(), options);
        return new OcspFetchResult(body, verification);
    }

    private async Task<byte[]> PostAsync(Uri responderUri, byte[] request, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(request);
        content.Headers.ContentType = new MediaTypeHeaderValue(RequestMediaType);
        using var message = new HttpRequestMessage(HttpMethod.Post, responderUri) { Content = content };
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(ResponseMediaType));

        using var response = await _httpClient.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new OcspTransportException($"HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
        }

        var mediaType = response.Content.Headers.ContentType?.MediaType;
        if (!string.Equals(mediaType, ResponseMediaType, StringComparison.OrdinalIgnoreCase))
        {
            throw new OcspTransportException($"unexpected content type '{mediaType ?? "(none)"}'");
        }

        if (response.Content.Headers.ContentLength is { } declared && declared > _maxResponseLength)
        {
            throw new OcspTransportException($"the response of {declared} bytes exceeds the limit of {_maxResponseLength}");
        }

        // Read at most one byte more than the limit so an undeclared oversize body is detected without
        // buffering it.
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var buffer = ArrayPool<byte>.Shared.Rent(_maxResponseLength + 1);
            try
            {
                var total = 0;
                int read;
                while (total <= _maxResponseLength
                    && (read = await stream.ReadAsync(buffer.AsMemory(total, _maxResponseLength + 1 - total), cancellationToken).ConfigureAwait(false)) > 0)
                {
                    total += read;
                }

                if (total > _maxResponseLength)
                {
                    throw new OcspTransportException($"the response exceeds the limit of {_maxResponseLength} bytes");
                }

                return buffer.AsSpan(0, total).ToArray();
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    private static OcspFetchResult Unavailable(Uri responderUri, string reason) =>
        new(ReadOnlyMemory<byte>.Empty, VerificationResult<OcspStatus>.Fail(
            TrustFailure.ServiceUnavailable,
            $"OCSP responder {responderUri.GetLeftPart(UriPartial.Path)} is unavailable: {reason}"));

    /// <summary>A transport-level problem with an otherwise completed exchange; private to this class.</summary>
    private sealed class OcspTransportException(string message) : Exception(message);
}
