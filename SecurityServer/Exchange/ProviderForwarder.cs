using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using ExchangeGateway.Common.Errors;
using ExchangeGateway.Common.Exchange;
using Polly;
using Polly.CircuitBreaker;

namespace ExchangeGateway.SecurityServer.Exchange;

/// <summary>
/// The one terminal forwarder of the server proxy: sends a checked, logged request to the provider IS
/// with connect, read and total timeouts and a circuit breaker per service, and reads the answer under
/// the size limit. Redirects come back as they are; they are never followed. Transport failures
/// (refused, reset, timed out, not HTTP) are <c>server.serverproxy.service_failed</c>; the provider's own
/// HTTP errors are answers and pass through.
/// </summary>
public sealed class ProviderForwarder : IDisposable
{
    private readonly ConcurrentDictionary<(TimeSpan Connect, bool VerifyTls), HttpMessageInvoker> _invokers = new();
    private readonly ConcurrentDictionary<string, ResiliencePipeline> _breakers = new(StringComparer.Ordinal);
    private readonly long _maxResponseBytes;

    /// <summary>Creates the forwarder.</summary>
    /// <param name="maxResponseBytes">Provider bodies above this are refused (<c>service_failed</c>), never truncated.</param>
    public ProviderForwarder(long maxResponseBytes)
    {
        _maxResponseBytes = maxResponseBytes;
    }

    /// <summary>Sends <paramref name="request"/>; returns the response or the failure.</summary>
    public async Task<(ProviderResponse? Response, ExchangeFailure? Failure)> ForwardAsync(ProviderRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var invoker = _invokers.GetOrAdd((request.Timeouts.Connect, request.VerifyTls), static key => CreateInvoker(key.Connect, key.VerifyTls));
        var breaker = _breakers.GetOrAdd(request.ServiceKey, static _ => CreateBreaker());
        using var total = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        total.CancelAfter(request.Timeouts.Total);
        try
        {
            var response = await breaker.ExecuteAsync(
                static async (state, ct) => await SendAsync(state.invoker, state.request, state.max, ct).ConfigureAwait(false),
                (invoker, request, max: _maxResponseBytes),
                total.Token).ConfigureAwait(false);
            return (response, null);
        }
        catch (BrokenCircuitException)
        {
            return Fail("The provider has failed repeatedly; calls are suspended for a few seconds (circuit open).");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Fail("The provider did not answer within the total timeout.");
        }
        catch (TimeoutException ex)
        {
            return Fail(ex.Message);
        }
        catch (HttpRequestException ex)
        {
            return Fail(ex.HttpRequestError switch
            {
                HttpRequestError.ConnectionError => "The provider refused or dropped the connection.",
                HttpRequestError.NameResolutionError => "The provider's host name does not resolve.",
                HttpRequestError.SecureConnectionError => "The TLS connection to the provider failed.",
                HttpRequestError.InvalidResponse or HttpRequestError.ResponseEnded => "The provider's answer is not valid HTTP.",
                HttpRequestError.ConfigurationLimitExceeded => "The provider's response headers exceed the limit.",
                _ => "The call to the provider failed.",
            });
        }
        catch (ResponseTooLargeException)
        {
            return Fail($"The provider's response exceeds {_maxResponseBytes} bytes.");
        }
        catch (IOException)
        {
            return Fail("The connection to the provider broke while reading the answer.");
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var invoker in _invokers.Values)
        {
            invoker.Dispose();
        }
    }

    private static (ProviderResponse?, ExchangeFailure?) Fail(string message) =>
        (null, ExchangeFailure.ServerProxy(ErrorCatalog.ServiceFailed, message));

    private static async ValueTask<ProviderResponse> SendAsync(HttpMessageInvoker invoker, ProviderRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(new HttpMethod(request.Method), request.Target) { Version = HttpVersion.Version11 };
        HttpContent? content = request.Body.Length > 0 || request.Headers.Any(h => h.Name == "content-type")
            ? new ReadOnlyMemoryContent(request.Body)
            : null;
        foreach (var header in request.Headers)
        {
            // Values were checked for CR/LF/NUL when the head was read (HeaderPolicy.IsSafeValue).
            if (header.Name.StartsWith("content-", StringComparison.Ordinal))
            {
                content?.Headers.TryAddWithoutValidation(header.Name, header.Value);
            }
            else
            {
                message.Headers.TryAddWithoutValidation(header.Name, header.Value);
            }
        }

        message.Content = content;

        HttpResponseMessage response;
        using (var headersTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            headersTimeout.CancelAfter(request.Timeouts.Read);
            try
            {
                response = await invoker.SendAsync(message, headersTimeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException("The provider did not answer within the read timeout.");
            }
        }

        using (response)
        {
            if (response.Content.Headers.ContentLength is { } declared && declared > maxBytes)
            {
                throw new ResponseTooLargeException();
            }

            var stream = new ReadTimeoutStream(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), request.Timeouts.Read);
            await using (stream.ConfigureAwait(false))
            {
                var body = await BodyBuffer.ReadAsync(stream, maxBytes, null, cancellationToken).ConfigureAwait(false)
                    ?? throw new ResponseTooLargeException();
                return new ProviderResponse((int)response.StatusCode, CollectHeaders(response), body);
            }
        }
    }

    private static List<MessageHeader> CollectHeaders(HttpResponseMessage response)
    {
        var tokens = response.Headers.TryGetValues("Connection", out var connection) ? HeaderPolicy.ConnectionTokens(connection) : null;
        var headers = new List<MessageHeader>();
        Add(response.Headers);
        Add(response.Content.Headers);
        return headers;

        void Add(HttpHeaders source)
        {
            foreach (var (name, values) in source.NonValidated)
            {
                if (!HeaderPolicy.IsForwarded(name, tokens) || !HeaderPolicy.IsToken(name))
                {
                    continue;
                }

                foreach (var value in values)
                {
                    if (HeaderPolicy.IsSafeValue(value) && headers.Count < HeaderPolicy.MaxHeaders)
                    {
                        headers.Add(new MessageHeader(name.ToLowerInvariant(), value));
                    }
                }
            }
        }
    }

    private static HttpMessageInvoker CreateInvoker(TimeSpan connectTimeout, bool verifyTls)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = connectTimeout,
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
            AutomaticDecompression = DecompressionMethods.None,
            ActivityHeadersPropagator = null, // no traceparent/baggage leaks to providers or peers
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            MaxResponseHeadersLength = 64,
        };
        if (!verifyTls)
        {
            // The service was registered with TLS verification off (an internal provider with a private CA).
            handler.SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = static (_, _, _, _) => true };
        }

        return new HttpMessageInvoker(handler, disposeHandler: true);
    }

    private static ResiliencePipeline CreateBreaker() =>
        new ResiliencePipelineBuilder()
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                FailureRatio = 0.5,
                MinimumThroughput = 10,
                SamplingDuration = TimeSpan.FromSeconds(10),
                BreakDuration = TimeSpan.FromSeconds(5),
                ShouldHandle = new PredicateBuilder()
                    .Handle<HttpRequestException>()
                    .Handle<TimeoutException>()
                    .Handle<IOException>(),
            })
            .Build();

    private sealed class ResponseTooLargeException : Exception
    {
    }
}
