using System.Buffers;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using ExchangeGateway.Common.Results;

namespace ExchangeGateway.Common.Crypto.TimeStamping;

/// <summary>
/// Obtains RFC 3161 time-stamps over HTTP (§3.4) and verifies them before returning. A TSA that is
/// down, slow, or answers with something other than a DER reply is
/// <see cref="TrustFailure.ServiceUnavailable"/>; a reply that does not verify carries the
/// verifier's failure. Only the caller's own cancellation surfaces as an exception.
/// Thread-safe.
/// </summary>
public sealed class TimeStampClient
{
    private static readonly MediaTypeHeaderValue QueryContentType = new(TimeStampMediaTypes.Query);

    private readonly HttpClient _http;
    private readonly TimeStampVerifier _verifier;
    private readonly TimeStampClientOptions _options;
    private readonly TimeProvider _time;

    /// <summary>Creates a client.</summary>
    /// <param name="http">The caller's HttpClient (pooling, proxy and TLS settings are the caller's).</param>
    /// <param name="verifier">Checks every token before it is returned.</param>
    /// <param name="options">Endpoint and limits; validated here.</param>
    /// <param name="time">Drives the per-request timeout; the system clock by default.</param>
    public TimeStampClient(HttpClient http, TimeStampVerifier verifier, TimeStampClientOptions options, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(verifier);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _http = http;
        _verifier = verifier;
        _options = options;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>
    /// Asks the TSA to time-stamp <paramref name="hash"/> (with a fresh nonce and certReq, see
    /// <see cref="TimeStampRequestFactory"/>) and verifies the reply against <paramref name="trust"/>.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<VerificationResult<IssuedTimeStamp>> RequestAsync(
        ReadOnlyMemory<byte> hash,
        HashAlgorithmName hashAlgorithm,
        TimeStampTrust trust,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(trust);
        var request = TimeStampRequestFactory.Create(hash.Span, hashAlgorithm, _options.PolicyOid);
        var nonce = request.GetNonce() ?? ReadOnlyMemory<byte>.Empty;

        var reply = await PostAsync(request.Encode(), cancellationToken).ConfigureAwait(false);
        if (!reply.IsValid)
        {
            return VerificationResult<IssuedTimeStamp>.Fail(reply.Failure.Value, reply.Message);
        }

        var token = TimeStampVerifier.ExtractToken(reply.Value);
        if (!token.IsValid)
        {
            return VerificationResult<IssuedTimeStamp>.Fail(token.Failure.Value, token.Message);
        }

        var verified = _verifier.Verify(token.Value, hash.Span, hashAlgorithm, trust, nonce.Span);
        return verified.IsValid
            ? VerificationResult<IssuedTimeStamp>.Ok(new IssuedTimeStamp(token.Value, verified.Value))
            : VerificationResult<IssuedTimeStamp>.Fail(verified.Failure.Value, verified.Message);
    }

    private async Task<VerificationResult<ReadOnlyMemory<byte>>> PostAsync(byte[] query, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(_options.Timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var where = _options.Endpoint.GetLeftPart(UriPartial.Path);
        try
        {
            using var content = new ByteArrayContent(query);
            content.Headers.ContentType = QueryContentType;
            using var message = new HttpRequestMessage(HttpMethod.Post, _options.Endpoint) { Content = content };
            using var response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);

            // RFC 3161 §3.4: a rejection is still a TimeStampResp in a 200 reply; any other status is transport trouble.
            if (!response.IsSuccessStatusCode)
            {
                return Unavailable($"TSA {where} answered HTTP {(int)response.StatusCode}");
            }

            var mediaType = response.Content.Headers.ContentType?.MediaType;
            if (!string.Equals(mediaType, TimeStampMediaTypes.Reply, StringComparison.OrdinalIgnoreCase))
            {
                return Unavailable($"TSA {where} answered content type '{mediaType ?? "(none)"}', not {TimeStampMediaTypes.Reply}");
            }

            if (response.Content.Headers.ContentLength > _options.MaxResponseBytes)
            {
                return Unavailable($"TSA {where} reply of {response.Content.Headers.ContentLength} bytes exceeds {_options.MaxResponseBytes}");
            }

            var stream = await response.Content.ReadAsStreamAsync(linked.Token).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                return await ReadBoundedAsync(stream, where, linked.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Unavailable($"TSA {where} did not answer within {_options.Timeout}");
        }
        catch (HttpRequestException ex)
        {
            return Unavailable($"TSA {where} is unreachable: {ex.Message}");
        }
        catch (IOException ex)
        {
            return Unavailable($"TSA {where} connection failed: {ex.Message}");
        }
    }

    private async Task<VerificationResult<ReadOnlyMemory<byte>>> ReadBoundedAsync(Stream stream, string where, CancellationToken cancellationToken)
    {
        // One byte more than the limit tells "exactly at the limit" from "over it" without trusting Content-Length.
        var buffer = ArrayPool<byte>.Shared.Rent(_options.MaxResponseBytes + 1);
        try
        {
            var total = 0;
            while (total <= _options.MaxResponseBytes)
            {
                var read = await stream.ReadAsync(buffer.AsMemory(total, _options.MaxResponseBytes + 1 - total), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    return total == 0
                        ? Unavailable($"TSA {where} sent an empty reply")
                        : VerificationResult<ReadOnlyMemory<byte>>.Ok(buffer.AsSpan(0, total).ToArray());
                }

                total += read;
            }

            return Unavailable($"TSA {where} reply exceeds {_options.MaxResponseBytes} bytes");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static VerificationResult<ReadOnlyMemory<byte>> Unavailable(string message) =>
        VerificationResult<ReadOnlyMemory<byte>>.Fail(TrustFailure.ServiceUnavailable, message);
}
