using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using ExchangeGateway.Common.Errors;
using ExchangeGateway.Common.Exchange;
using ExchangeGateway.Config.Model;
using ExchangeGateway.Signer.Identities;

namespace ExchangeGateway.SecurityServer.Exchange;

/// <summary>
/// Sends envelopes to other security servers over mutual TLS with this server's authentication
/// certificate, and reads their answers under limits. Connections are pooled and reused: a full
/// handshake costs about 4 ms of CPU, a pooled request almost nothing (PERFORMANCE.md).
/// </summary>
public sealed class PeerClient : IDisposable
{
    private const int MaxErrorBodyBytes = 64 * 1024;
    private readonly Func<AuthenticationIdentity?> _identity;
    private readonly PeerAuthenticator _authenticator;
    private readonly TrustContextProvider _trust;
    private readonly ConcurrentDictionary<string, X509Certificate2> _peerCertificates = new(StringComparer.Ordinal);
    private readonly long _maxBodyBytes;
    private readonly TimeSpan _connectTimeout;
    private readonly TimeSpan _timeout;
    private readonly Lock _gate = new();
    private Pool? _pool;
    private bool _disposed;

    /// <summary>Creates the client.</summary>
    /// <param name="identity">
    /// This server's current TLS identity (its chain is sent so the peer can build the path to an approved CA);
    /// null while the token is logged out. When it changes, new connections use the new one and the old pool is
    /// closed once requests in flight are done.
    /// </param>
    /// <param name="authenticator">Judges the peer's certificate.</param>
    /// <param name="trust">The current trust context.</param>
    /// <param name="maxBodyBytes">Response bodies above this are refused.</param>
    /// <param name="connectTimeout">To open a connection (including the TLS handshake).</param>
    /// <param name="timeout">For a whole exchange with the peer.</param>
    public PeerClient(Func<AuthenticationIdentity?> identity, PeerAuthenticator authenticator, TrustContextProvider trust, long maxBodyBytes, TimeSpan connectTimeout, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(identity);
        _identity = identity;
        _authenticator = authenticator;
        _trust = trust;
        _maxBodyBytes = maxBodyBytes;
        _connectTimeout = connectTimeout;
        _timeout = timeout;
    }

    /// <summary>The URL of <paramref name="server"/>'s server proxy for <paramref name="path"/> (<see cref="EnvelopeFrame.RestPath"/> by default).</summary>
    public static Uri EndpointOf(SecurityServerInfo server, string path = EnvelopeFrame.RestPath)
    {
        ArgumentNullException.ThrowIfNull(server);
        var address = server.Address;
        var baseUri = address.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
            ? address.TrimEnd('/')
            : "https://" + (address.Contains(':', StringComparison.Ordinal) && !address.StartsWith('[') ? address : address + ":5500");
        return new Uri(baseUri + path);
    }

    /// <summary>
    /// Sends the envelope to <paramref name="server"/>. A connection that cannot be opened is reported as
    /// <c>connectFailed</c> so the caller may try the next server; nothing was sent then.
    /// </summary>
    public async Task<(PeerResponse? Response, ExchangeFailure? Failure, bool ConnectFailed)> SendAsync(
        SecurityServerInfo server, string path, byte[] prefix, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(server);
        var endpoint = EndpointOf(server, path);
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint)
        {
            Version = HttpVersion.Version11,
            Content = new EnvelopeContent(prefix, body),
        };
        request.Headers.Add(LogReceipt.AcceptHeader, LogReceipt.AcceptValue);
        if (InvokerFor(_identity()) is not { } invoker)
        {
            return (null, ExchangeFailure.ClientProxy(ErrorCatalog.SslAuthenticationFailed, "this server has no active authentication certificate (is the token logged in?)"), false);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        HttpResponseMessage response;
        try
        {
            response = await invoker.SendAsync(request, timeout.Token).ConfigureAwait(false);
        }
        catch (HttpRequestException ex) when (ex.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError)
        {
            return (null, Network($"cannot connect to {server.Id}: {ex.Message}"), true);
        }
        catch (HttpRequestException ex) when (ex.HttpRequestError is HttpRequestError.SecureConnectionError)
        {
            return (null, ExchangeFailure.ClientProxy(ErrorCatalog.SslAuthenticationFailed, $"the TLS handshake with {server.Id} failed: {ex.InnerException?.Message ?? ex.Message}"), true);
        }
        catch (HttpRequestException ex)
        {
            return (null, Network($"the exchange with {server.Id} failed: {ex.Message}"), false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, Network($"{server.Id} did not answer in time"), false);
        }

        using (response)
        {
            try
            {
                return (await ReadAsync(response, server, path, timeout.Token).ConfigureAwait(false), null, false);
            }
            catch (Exception ex) when (ex is IOException or HttpRequestException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                return (null, Network($"the answer from {server.Id} broke off: {ex.Message}"), false);
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _pool?.Invoker.Dispose();
            _pool = null;
        }
    }

    private HttpMessageInvoker? InvokerFor(AuthenticationIdentity? identity)
    {
        if (identity is null)
        {
            return null;
        }

        var pool = Volatile.Read(ref _pool);
        if (pool is not null && string.Equals(pool.CertificateSha256, identity.CertificateSha256, StringComparison.Ordinal))
        {
            return pool.Invoker;
        }

        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_pool is { } current && string.Equals(current.CertificateSha256, identity.CertificateSha256, StringComparison.Ordinal))
            {
                return current.Invoker;
            }

            var old = _pool;
            _pool = new Pool(identity.CertificateSha256, CreateInvoker(identity));
            if (old is not null)
            {
                // Requests in flight on the old pool finish within the exchange timeout; then it is closed.
                _ = Task.Delay(_timeout + TimeSpan.FromSeconds(30)).ContinueWith(_ => old.Invoker.Dispose(), TaskScheduler.Default);
            }

            return _pool.Invoker;
        }
    }

    private HttpMessageInvoker CreateInvoker(AuthenticationIdentity identity)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = _connectTimeout,
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
            AutomaticDecompression = DecompressionMethods.None,
            ActivityHeadersPropagator = null, // no traceparent/baggage leaks to providers or peers
            PooledConnectionLifetime = TimeSpan.FromMinutes(10),
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(2),
            SslOptions = new SslClientAuthenticationOptions
            {
                EnabledSslProtocols = InterServerTls.Protocols,
                CipherSuitesPolicy = InterServerTls.CipherSuites,
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                ClientCertificateContext = identity.SslCertificateContext,
                RemoteCertificateValidationCallback = ValidateServer,
            },
        };
        return new HttpMessageInvoker(handler, disposeHandler: true);
    }

    private sealed record Pool(string CertificateSha256, HttpMessageInvoker Invoker);

    private static ExchangeFailure Network(string message) => ExchangeFailure.ClientProxy(ErrorCatalog.NetworkError, message);

    private async Task<PeerResponse> ReadAsync(HttpResponseMessage response, SecurityServerInfo server, string path, CancellationToken cancellationToken)
    {
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var isEnvelope = response.StatusCode == HttpStatusCode.OK
                && string.Equals(response.Content.Headers.ContentType?.MediaType, EnvelopeFrame.MediaType, StringComparison.OrdinalIgnoreCase);
            if (!isEnvelope)
            {
                var error = await BodyBuffer.ReadAsync(stream, MaxErrorBodyBytes, null, cancellationToken).ConfigureAwait(false);
                using (error)
                {
                    return new PeerResponse
                    {
                        ErrorStatus = (int)response.StatusCode,
                        ErrorCode = response.Headers.TryGetValues(ErrorRenderer.XRoadErrorHeaderName, out var codes) ? codes.FirstOrDefault() : null,
                        ErrorBody = error?.Memory.ToArray() ?? [],
                        ErrorContentType = response.Content.Headers.ContentType?.ToString(),
                    };
                }
            }

            var prefix = await EnvelopeFrame.ReadPrefixAsync(stream, cancellationToken).ConfigureAwait(false);
            if (!prefix.Success)
            {
                return new PeerResponse(); // neither a signed answer nor an X-Road error: the caller reports invalid_response
            }

            // The full check of the head is the caller's; here only the body's length is needed to read it.
            var length = path == EnvelopeFrame.SoapPath
                ? HeadCodec.DecodeSoapResponse(prefix.Value!.Head) is { Success: true } soap ? soap.Value!.BodyLength : -1
                : HeadCodec.DecodeResponse(prefix.Value!.Head) is { Success: true } rest ? rest.Value!.BodyLength : -1;
            var body = length < 0 || length > _maxBodyBytes ? null : await BodyBuffer.ReadAsync(stream, _maxBodyBytes, length, cancellationToken).ConfigureAwait(false);
            _peerCertificates.TryGetValue(server.Id.ToString(), out var peer);
            return new PeerResponse { Prefix = body is null ? null : prefix.Value, Body = body, PeerCertificate = peer };
        }
    }

    private bool ValidateServer(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        // The OS verdict (errors) is ignored on purpose: trust comes from global configuration only.
        if (certificate is null)
        {
            return false;
        }

        var cert = certificate as X509Certificate2 ?? new X509Certificate2(certificate);
        var valid = _authenticator.ValidateHandshake(cert, chain);
        if (!valid.IsValid || !_trust.TryGet(out var trust))
        {
            return false;
        }

        // SocketsHttpHandler does not say which request opened the connection, so the certificate is
        // matched to the server it is registered for; each response is then checked against the server
        // it was sent to (CheckPeer), so a certificate of another server is refused there.
        var server = trust.Configuration.FindServerByAuthenticationCertificate(cert.GetCertHash(System.Security.Cryptography.HashAlgorithmName.SHA256));
        if (server is null)
        {
            return false;
        }

        // The handshake's certificate belongs to its SslStream, which disposes it when the connection
        // closes; responses read later must not touch a disposed handle, so a copy is kept instead.
        var kept = X509CertificateLoader.LoadCertificate(cert.RawData);
        if (_peerCertificates.TryGetValue(server.Id.ToString(), out var previous) && previous.RawData.AsSpan().SequenceEqual(kept.RawData))
        {
            kept.Dispose();
        }
        else
        {
            _peerCertificates[server.Id.ToString()] = kept;
        }

        return true;
    }
}
