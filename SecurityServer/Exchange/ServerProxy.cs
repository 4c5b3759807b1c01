using System.Diagnostics;
using System.Security.Cryptography;
using ExchangeGateway.Common.Crypto.Batch;
using ExchangeGateway.Common.Errors;
using ExchangeGateway.Common.Exchange;
using ExchangeGateway.MessageLog.Records;
using ExchangeGateway.SecurityServer.Hosting;
using ExchangeGateway.SecurityServer.Operations;
using ExchangeGateway.SecurityServer.Registry;
using ExchangeGateway.Signer.Signing;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace ExchangeGateway.SecurityServer.Exchange;

/// <summary>
/// The server proxy (ARCHITECTURE.md §2 step 4), in X-Road's order: authenticate the peer, verify the
/// signature and that it is the client member's, reject replays, check the service and the access
/// rights (default deny), log the request, forward it, sign the response with the request hash, log
/// the response, answer. A failure at any stage answers an X-Road error and the provider sees nothing.
/// </summary>
public sealed class ServerProxy
{
    /// <summary>The metric and log name of this side.</summary>
    public const string Side = ExchangeMetrics.SideServer;

    private readonly LocalConfigurationStore _local;
    private readonly TrustContextProvider _trust;
    private readonly BatchingSigner _signer;
    private readonly OwnIdentity _identity;
    private readonly ExchangeRecorder _recorder;
    private readonly PeerAuthenticator _authenticator;
    private readonly ReplayCache _replays;
    private readonly ProviderForwarder _forwarder;
    private readonly ExchangeResponder _responder;
    private readonly TimeProvider _time;
    private readonly ILogger<ServerProxy> _logger;
    private readonly long _maxBodyBytes;

    /// <summary>Creates the proxy.</summary>
    public ServerProxy(
        LocalConfigurationStore local,
        TrustContextProvider trust,
        BatchingSigner signer,
        OwnIdentity identity,
        ExchangeRecorder recorder,
        PeerAuthenticator authenticator,
        ReplayCache replays,
        ProviderForwarder forwarder,
        ExchangeResponder responder,
        IOptions<SecurityServerOptions> options,
        TimeProvider time,
        ILogger<ServerProxy> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _local = local;
        _trust = trust;
        _signer = signer;
        _identity = identity;
        _recorder = recorder;
        _authenticator = authenticator;
        _replays = replays;
        _forwarder = forwarder;
        _responder = responder;
        _time = time;
        _logger = logger;
        _maxBodyBytes = options.Value.MaxBodyBytes;
    }

    /// <summary>Handles one envelope from another security server.</summary>
    public Task HandleAsync(HttpContext context) =>
        _responder.RunAsync(
            context, Side, "server_total", ErrorCode.ServerProxy(ErrorCatalog.InvalidMessage), ErrorCode.ServerProxy(ErrorCatalog.InternalError), ExchangeAsync);

    private async Task<ExchangeFailure?> ExchangeAsync(HttpContext context)
    {
        var stage = Stopwatch.GetTimestamp();
        if (!HttpMethods.IsPost(context.Request.Method) || !string.Equals(context.Request.Path.Value, EnvelopeFrame.RestPath, StringComparison.Ordinal)
            || !string.Equals(context.Request.ContentType, EnvelopeFrame.MediaType, StringComparison.OrdinalIgnoreCase))
        {
            return ExchangeFailure.ServerProxy(ErrorCatalog.InvalidMessage, $"Envelopes are POSTed to {EnvelopeFrame.RestPath} as {EnvelopeFrame.MediaType}.");
        }

        var peer = context.Connection.ClientCertificate;
        if (peer is null)
        {
            return ExchangeFailure.ServerProxy(ErrorCatalog.SslAuthenticationFailed, "The peer presented no authentication certificate.");
        }

        if (!_trust.TryGet(out var trust))
        {
            return ExchangeFailure.ServerProxy(ErrorCatalog.OutdatedGlobalConf, "The global configuration is missing or expired; exchanges stop until a valid one is downloaded.");
        }

        if (context.Request.ContentLength is { } declared && declared > _maxBodyBytes + EnvelopeFrame.MaxSignatureBytes + (2 * EnvelopeFrame.MaxOcspBytes) + HeadCodec.MaxHeadBytes + 32)
        {
            return ExchangeFailure.ServerProxy(ErrorCatalog.RequestTooLarge, $"The message body exceeds {_maxBodyBytes} bytes.");
        }

        var sizeFeature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false })
        {
            sizeFeature.MaxRequestBodySize = null; // The frame carries the exact length; it is checked below.
        }

        var prefix = await EnvelopeFrame.ReadPrefixAsync(context.Request.Body, context.RequestAborted).ConfigureAwait(false);
        if (!prefix.Success)
        {
            return ExchangeFailure.ServerProxy(ErrorCatalog.InvalidMessage, prefix.Message!);
        }

        var decoded = HeadCodec.DecodeRequest(prefix.Value!.Head);
        if (!decoded.Success)
        {
            return ExchangeFailure.ServerProxy(ErrorCatalog.InvalidMessage, $"The request head is malformed: {decoded.Message}");
        }

        var head = decoded.Value!;

        // 0. The TLS peer must be registered for a server that hosts the client it speaks for.
        if (_authenticator.CheckPeer(trust, peer, head.Client, null, prefix.Value.AuthenticationOcsp, isServerProxy: true) is { } peerFailure)
        {
            return peerFailure;
        }

        if (head.BodyLength > _maxBodyBytes)
        {
            return ExchangeFailure.ServerProxy(ErrorCatalog.RequestTooLarge, $"The message body exceeds {_maxBodyBytes} bytes.");
        }

        using var body = await BodyBuffer.ReadAsync(context.Request.Body, _maxBodyBytes, head.BodyLength, context.RequestAborted).ConfigureAwait(false);
        if (body is null)
        {
            return ExchangeFailure.ServerProxy(ErrorCatalog.InvalidMessage, "The body is shorter or longer than the head says.");
        }

        if (!CryptographicOperations.FixedTimeEquals(body.Digest, head.BodyDigest.Span))
        {
            return ExchangeFailure.ServerProxy(ErrorCatalog.InvalidSignatureValue, "The body does not match its signed digest.");
        }

        _responder.Stage("server_read", stage);

        // 1. The signature, by the client member.
        stage = Stopwatch.GetTimestamp();
        var now = _time.GetUtcNow();
        if (SignatureChecks.Verify(trust, prefix.Value, head.Client.Member, now, ErrorFamily.ServerServerProxy) is { } signatureFailure)
        {
            return signatureFailure;
        }

        _responder.Stage("verify", stage);

        // 2. Replays.
        if (!_replays.TryReserve(head.Client.ToString(), head.MessageId, now))
        {
            return ExchangeFailure.Client(ErrorCatalog.DuplicateMessageId, $"The message id {head.MessageId} was already used by {head.Client}.");
        }

        // 3 and 4. The service, and the access rights (default deny).
        var local = _local.Current;
        var rawPath = head.Target.Split('?', 2)[0];
        var decision = local is null ? AccessDecision.UnknownService : AccessControl.Decide(local, trust.Configuration, head.Client, head.Service, head.Method, rawPath);
        if (decision != AccessDecision.Allowed)
        {
            return new ExchangeFailure(decision.ToErrorCode(), DescribeRefusal(decision, head));
        }

        var service = local!.FindService(head.Service)!;

        // 5. Log the request before anything is forwarded.
        stage = Stopwatch.GetTimestamp();
        var requestRecord = new MessageRecord
        {
            Side = RecordSide.Server,
            Kind = RecordKind.Request,
            MessageId = head.MessageId,
            RequestId = head.RequestId,
            ClientId = head.Client.ToString(),
            ServiceId = head.Service.ToString(),
            At = now,
            UserId = head.UserId,
            Head = prefix.Value.Head,
            Signature = prefix.Value.Signature,
            Ocsp = prefix.Value.SigningOcsp,
            BodyDigest = body.Digest,
            BodyLength = body.Length,
            Body = service.LogBodies ? body.Memory : null,
        };
        if (await _recorder.AppendAsync(requestRecord, ErrorFamily.ServerServerProxy, context.RequestAborted).ConfigureAwait(false) is { } notLogged)
        {
            return notLogged;
        }

        _responder.Stage("log_request", stage);
        var outcome = await ForwardAndAnswerAsync(context, head, prefix.Value.Head, service, body).ConfigureAwait(false);
        if (outcome is not null)
        {
            var record = _recorder.ErrorRecord(RecordSide.Server, head.MessageId, head.RequestId, head.Client.ToString(), head.Service.ToString(), head.UserId, ErrorHttpStatus.ForRest(outcome.Code), outcome.Code.Value);
            if (await _recorder.AppendAsync(record, ErrorFamily.ServerServerProxy, CancellationToken.None).ConfigureAwait(false) is { } lost)
            {
                ExchangeLog.OutcomeNotLogged(_logger, Side, head.RequestId, lost.Message);
            }
        }

        return outcome;
    }

    private async Task<ExchangeFailure?> ForwardAndAnswerAsync(HttpContext context, RestRequestHead head, byte[] headBytes, LocalService service, BodyBuffer body)
    {
        // 6. Forward.
        var stage = Stopwatch.GetTimestamp();
        var target = new Uri(service.Url.TrimEnd('/') + head.Target, new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });
        var request = new ProviderRequest(
            head.Service.ToString(),
            target,
            head.Method,
            [.. head.Headers.Where(h => HeaderPolicy.IsForwarded(h.Name))],
            body.Memory,
            new ProviderTimeouts(service.ConnectTimeout, service.ReadTimeout, service.TotalTimeout),
            service.VerifyTls);
        var (response, forwardFailure) = await _forwarder.ForwardAsync(request, context.RequestAborted).ConfigureAwait(false);
        _responder.Stage("forward", stage);
        if (response is null)
        {
            return forwardFailure;
        }

        using (response)
        {
            // 7. Sign the response together with the request hash.
            stage = Stopwatch.GetTimestamp();
            var responseHead = new RestResponseHead
            {
                Status = response.Status,
                Service = head.Service,
                Client = head.Client,
                MessageId = head.MessageId,
                RequestId = head.RequestId,
                RequestHash = RequestHash.Compute(headBytes, body.Digest, body.Length),
                Headers = response.Headers,
                BodyLength = response.Body.Length,
                BodyDigest = response.Body.Digest,
            };
            var responseHeadBytes = HeadCodec.Encode(responseHead);
            var signed = await _signer.SignAsync(head.Service.Client.Member, RequestHash.SigningDigest(responseHeadBytes), context.RequestAborted).ConfigureAwait(false);
            if (!signed.IsSuccess)
            {
                return ExchangeFailure.ServerProxy(ErrorCatalog.CannotCreateSignature, $"The response cannot be signed for {head.Service.Client.Member}: {signed.Message}");
            }

            var signature = BatchSignatureEncoding.Encode(signed.Signature!);
            _responder.Stage("sign", stage);

            // 8. Log the response; only then does it leave.
            stage = Stopwatch.GetTimestamp();
            var record = new MessageRecord
            {
                Side = RecordSide.Server,
                Kind = RecordKind.Response,
                MessageId = head.MessageId,
                RequestId = head.RequestId,
                ClientId = head.Client.ToString(),
                ServiceId = head.Service.ToString(),
                At = _time.GetUtcNow(),
                UserId = head.UserId,
                HttpStatus = response.Status,
                Head = responseHeadBytes,
                Signature = signature,
                Ocsp = signed.OcspResponse,
                BodyDigest = response.Body.Digest,
                BodyLength = response.Body.Length,
                Body = service.LogBodies ? response.Body.Memory : null,
            };
            if (await _recorder.AppendAsync(record, ErrorFamily.ServerServerProxy, context.RequestAborted).ConfigureAwait(false) is { } notLogged)
            {
                return notLogged;
            }

            _responder.Stage("log_response", stage);
            var prefix = EnvelopeFrame.WritePrefix(new EnvelopePrefix(responseHeadBytes, signature, signed.OcspResponse.ToArray(), _identity.AuthenticationOcsp().ToArray()));
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = EnvelopeFrame.MediaType;
            context.Response.ContentLength = prefix.Length + response.Body.Length;
            await context.Response.Body.WriteAsync(prefix, context.RequestAborted).ConfigureAwait(false);
            await context.Response.Body.WriteAsync(response.Body.Memory, context.RequestAborted).ConfigureAwait(false);
            return null;
        }
    }

    private static string DescribeRefusal(AccessDecision decision, RestRequestHead head) => decision switch
    {
        AccessDecision.UnknownService => $"The service {head.Service} is not known here.",
        AccessDecision.ServiceDisabled => $"The service {head.Service} is disabled.",
        AccessDecision.AccessDenied => $"{head.Client} may not call {head.Method} {head.Service}.",
        _ => "The service path is not acceptable.",
    };
}
