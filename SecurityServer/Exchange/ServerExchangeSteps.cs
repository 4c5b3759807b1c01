using System.Diagnostics;
using System.Security.Cryptography;
using ExchangeGateway.Common.Crypto.Batch;
using ExchangeGateway.Common.Errors;
using ExchangeGateway.Common.Exchange;
using ExchangeGateway.Common.Identifiers;
using ExchangeGateway.MessageLog.Records;
using ExchangeGateway.SecurityServer.Hosting;
using ExchangeGateway.Signer.Signing;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace ExchangeGateway.SecurityServer.Exchange;

/// <summary>
/// The server proxy's stages that do not depend on the protocol: read the envelope's prefix, authenticate
/// the peer, read the body against its signed digest, verify the client member's signature, reject
/// replays, log the request, and sign, log and send the answer. X-Road's order is kept by the callers.
/// </summary>
public sealed class ServerExchangeSteps
{
    private readonly TrustContextProvider _trust;
    private readonly BatchingSigner _signer;
    private readonly OwnIdentity _identity;
    private readonly ExchangeRecorder _recorder;
    private readonly PeerAuthenticator _authenticator;
    private readonly ReplayCache _replays;
    private readonly ExchangeResponder _responder;
    private readonly TimeProvider _time;
    private readonly ILogger<ServerExchangeSteps> _logger;
    private readonly long _maxBodyBytes;
    private readonly TimeSpan _checkpointInterval;

    /// <summary>Creates the steps.</summary>
    public ServerExchangeSteps(
        TrustContextProvider trust,
        BatchingSigner signer,
        OwnIdentity identity,
        ExchangeRecorder recorder,
        PeerAuthenticator authenticator,
        ReplayCache replays,
        ExchangeResponder responder,
        IOptions<SecurityServerOptions> options,
        TimeProvider time,
        ILogger<ServerExchangeSteps> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _trust = trust;
        _signer = signer;
        _identity = identity;
        _recorder = recorder;
        _authenticator = authenticator;
        _replays = replays;
        _responder = responder;
        _time = time;
        _logger = logger;
        _maxBodyBytes = options.Value.MaxBodyBytes;
        _checkpointInterval = options.Value.CheckpointInterval;
    }

    /// <summary>The largest body accepted.</summary>
    public long MaxBodyBytes => _maxBodyBytes;

    /// <summary>Checks the transport (POST to <paramref name="path"/>, envelope media type, a client certificate, a valid configuration, the size) and reads the prefix.</summary>
    public async Task<(EnvelopePrefix? Prefix, TrustContext? Trust, ExchangeFailure? Failure)> ReadPrefixAsync(HttpContext context, string path)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!HttpMethods.IsPost(context.Request.Method) || !string.Equals(context.Request.Path.Value, path, StringComparison.Ordinal)
            || !string.Equals(context.Request.ContentType, EnvelopeFrame.MediaType, StringComparison.OrdinalIgnoreCase))
        {
            return (null, null, ExchangeFailure.ServerProxy(ErrorCatalog.InvalidMessage, $"Envelopes are POSTed to {EnvelopeFrame.RestPath} or {EnvelopeFrame.SoapPath} as {EnvelopeFrame.MediaType}."));
        }

        if (context.Connection.ClientCertificate is null)
        {
            return (null, null, ExchangeFailure.ServerProxy(ErrorCatalog.SslAuthenticationFailed, "The peer presented no authentication certificate."));
        }

        if (!_trust.TryGet(out var trust))
        {
            return (null, null, ExchangeFailure.ServerProxy(ErrorCatalog.OutdatedGlobalConf, "The global configuration is missing or expired; exchanges stop until a valid one is downloaded."));
        }

        if (context.Request.ContentLength is { } declared && declared > _maxBodyBytes + EnvelopeFrame.MaxSignatureBytes + (2 * EnvelopeFrame.MaxOcspBytes) + HeadCodec.MaxHeadBytes + 32)
        {
            return (null, null, TooLarge());
        }

        var sizeFeature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false })
        {
            sizeFeature.MaxRequestBodySize = null; // The frame carries the exact length; it is checked below.
        }

        var prefix = await EnvelopeFrame.ReadPrefixAsync(context.Request.Body, context.RequestAborted).ConfigureAwait(false);
        return prefix.Success
            ? (prefix.Value, trust, null)
            : (null, null, ExchangeFailure.ServerProxy(ErrorCatalog.InvalidMessage, prefix.Message!));
    }

    /// <summary>
    /// X-Road's steps 0–2 once the head is decoded: the TLS peer is registered for a server hosting the
    /// client, the body matches its signed digest, the signature is the client member's, and the message
    /// id is new. Returns the body (dispose it).
    /// </summary>
    public async Task<(BodyBuffer? Body, ExchangeFailure? Failure)> AuthenticateAsync(
        HttpContext context, TrustContext trust, EnvelopePrefix prefix, ExchangeIds request, long bodyLength, ReadOnlyMemory<byte> bodyDigest)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(prefix);
        ArgumentNullException.ThrowIfNull(request);
        var stage = Stopwatch.GetTimestamp();
        if (_authenticator.CheckPeer(trust, context.Connection.ClientCertificate!, request.Client, null, prefix.AuthenticationOcsp, isServerProxy: true) is { } peerFailure)
        {
            return (null, peerFailure);
        }

        if (bodyLength > _maxBodyBytes)
        {
            return (null, TooLarge());
        }

        var body = await BodyBuffer.ReadAsync(context.Request.Body, _maxBodyBytes, bodyLength, context.RequestAborted).ConfigureAwait(false);
        if (body is null)
        {
            return (null, ExchangeFailure.ServerProxy(ErrorCatalog.InvalidMessage, "The body is shorter or longer than the head says."));
        }

        if (!CryptographicOperations.FixedTimeEquals(body.Digest, bodyDigest.Span))
        {
            body.Dispose();
            return (null, ExchangeFailure.ServerProxy(ErrorCatalog.InvalidSignatureValue, "The body does not match its signed digest."));
        }

        _responder.Stage("server_read", stage);
        stage = Stopwatch.GetTimestamp();
        var now = _time.GetUtcNow();
        if (SignatureChecks.Verify(trust, prefix, request.Client.Member, now, ErrorFamily.ServerServerProxy) is { } signatureFailure)
        {
            body.Dispose();
            return (null, signatureFailure);
        }

        _responder.Stage("verify", stage);
        if (!_replays.TryReserve(request.Client.ToString(), request.MessageId, now))
        {
            body.Dispose();
            return (null, ExchangeFailure.Client(ErrorCatalog.DuplicateMessageId, $"The message id {request.MessageId} was already used by {request.Client}."));
        }

        return (body, null);
    }

    /// <summary>
    /// Logs the request before anything is forwarded. Returns the receipt for it (<see cref="LogReceipts"/>) when
    /// the sender asked for one, or the failure.
    /// </summary>
    public async Task<(LogReceipt? Receipt, ExchangeFailure? Failure)> LogRequestAsync(
        HttpContext context, SecurityServerId server, ExchangeIds request, EnvelopePrefix prefix, BodyBuffer body, bool logBody)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(prefix);
        ArgumentNullException.ThrowIfNull(body);

        // The answer will need the provider member's signature: without a logged-in token or a key for it,
        // the request is refused here rather than forwarded and then left unanswerable.
        var member = request.Service.Client.Member;
        if (!_signer.TokenActive)
        {
            return (null, ExchangeFailure.ServerProxy(ErrorCatalog.TokenNotActive, $"The response could not be signed for {member}: the key token is logged out."));
        }

        if (!_signer.HasKey(member))
        {
            return (null, ExchangeFailure.ServerProxy(ErrorCatalog.CannotCreateSignature, $"The response could not be signed: no signing key is active for {member}."));
        }

        var stage = Stopwatch.GetTimestamp();
        var record = _recorder.Record(RecordSide.Server, RecordKind.Request, request, null, prefix.Head, prefix.Signature, prefix.SigningOcsp, body, logBody);
        var (sequence, failure) = await _recorder.AppendNumberedAsync(record, ErrorFamily.ServerServerProxy, context.RequestAborted).ConfigureAwait(false);
        _responder.Stage("log_request", stage);
        return failure is null
            ? (LogReceipts.For(context.Request, server, sequence, _time.GetUtcNow(), _checkpointInterval), null)
            : (null, failure);
    }

    /// <summary>Signs the response head for the provider member, logs the response, and only then sends the envelope.</summary>
    public async Task<ExchangeFailure?> AnswerAsync(HttpContext context, ExchangeIds request, byte[] responseHead, int status, BodyBuffer responseBody, bool logBody)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(responseHead);
        ArgumentNullException.ThrowIfNull(responseBody);
        var stage = Stopwatch.GetTimestamp();
        var member = request.Service.Client.Member;
        var signed = await _signer.SignAsync(member, RequestHash.SigningDigest(responseHead), context.RequestAborted).ConfigureAwait(false);
        if (!signed.IsSuccess)
        {
            return ExchangeFailure.ServerProxy(SignFailures.EntryOf(signed.Failure), $"The response cannot be signed for {member}: {signed.Message}");
        }

        var signature = BatchSignatureEncoding.Encode(signed.Signature!);
        _responder.Stage("sign", stage);

        stage = Stopwatch.GetTimestamp();
        var record = _recorder.Record(RecordSide.Server, RecordKind.Response, request, status, responseHead, signature, signed.OcspResponse, responseBody, logBody);
        if (await _recorder.AppendAsync(record, ErrorFamily.ServerServerProxy, context.RequestAborted).ConfigureAwait(false) is { } notLogged)
        {
            return notLogged;
        }

        _responder.Stage("log_response", stage);
        var prefix = EnvelopeFrame.WritePrefix(new EnvelopePrefix(responseHead, signature, signed.OcspResponse.ToArray(), _identity.AuthenticationOcsp().ToArray()));
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = EnvelopeFrame.MediaType;
        context.Response.ContentLength = prefix.Length + responseBody.Length;
        await context.Response.Body.WriteAsync(prefix, context.RequestAborted).ConfigureAwait(false);
        await context.Response.Body.WriteAsync(responseBody.Memory, context.RequestAborted).ConfigureAwait(false);
        return null;
    }

    /// <summary>Logs that an exchange whose request was logged ended in <paramref name="failure"/>.</summary>
    public async Task RecordErrorOutcomeAsync(ExchangeIds request, ExchangeFailure failure)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(failure);
        var record = _recorder.ErrorRecord(RecordSide.Server, request, ErrorHttpStatus.ForRest(failure.Code), failure.Code.Value);
        if (await _recorder.AppendAsync(record, ErrorFamily.ServerServerProxy, CancellationToken.None).ConfigureAwait(false) is { } lost)
        {
            ExchangeLog.OutcomeNotLogged(_logger, ServerProxy.Side, request.RequestId, lost.Message);
        }
    }

    private ExchangeFailure TooLarge() =>
        ExchangeFailure.ServerProxy(ErrorCatalog.RequestTooLarge, $"The message body exceeds {_maxBodyBytes} bytes.");
}
