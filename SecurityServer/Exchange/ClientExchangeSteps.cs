using System.Diagnostics;
using System.Security.Cryptography;
using ExchangeGateway.Common.Crypto.Batch;
using ExchangeGateway.Common.Errors;
using ExchangeGateway.Common.Exchange;
using ExchangeGateway.Common.Identifiers;
using ExchangeGateway.Config.Model;
using ExchangeGateway.MessageLog.Records;
using ExchangeGateway.SecurityServer.Registry;
using ExchangeGateway.Signer.Signing;

namespace ExchangeGateway.SecurityServer.Exchange;

/// <summary>
/// The client proxy's stages that do not depend on the protocol (REST or SOAP): route to the provider's
/// servers, sign and log the request, send the envelope, check the answer's TLS peer and signature, log
/// the answer, and log an error outcome. Each returns a failure value instead of throwing.
/// </summary>
public sealed class ClientExchangeSteps
{
    private readonly TrustContextProvider _trust;
    private readonly BatchingSigner _signer;
    private readonly OwnIdentity _identity;
    private readonly ExchangeRecorder _recorder;
    private readonly PeerClient _peers;
    private readonly PeerAuthenticator _authenticator;
    private readonly ExchangeResponder _responder;
    private readonly TimeProvider _time;
    private readonly ILogger<ClientExchangeSteps> _logger;

    /// <summary>Creates the steps.</summary>
    public ClientExchangeSteps(
        TrustContextProvider trust,
        BatchingSigner signer,
        OwnIdentity identity,
        ExchangeRecorder recorder,
        PeerClient peers,
        PeerAuthenticator authenticator,
        ExchangeResponder responder,
        TimeProvider time,
        ILogger<ClientExchangeSteps> logger)
    {
        _trust = trust;
        _signer = signer;
        _identity = identity;
        _recorder = recorder;
        _peers = peers;
        _authenticator = authenticator;
        _responder = responder;
        _time = time;
        _logger = logger;
    }

    /// <summary>
    /// Checks the global configuration is valid, the client is registered for this server and not disabled, some server
    /// hosts the service's subsystem (the pinned one, when given), and time-stamping is within its period.
    /// </summary>
    public ExchangeFailure? Route(LocalConfiguration local, ClientId client, ServiceId service, SecurityServerId? pinned, out TrustContext? trust, out IReadOnlyList<SecurityServerInfo> candidates)
    {
        ArgumentNullException.ThrowIfNull(local);
        candidates = [];
        if (!_trust.TryGet(out trust))
        {
            return ExchangeFailure.ClientProxy(ErrorCatalog.OutdatedGlobalConf, "The global configuration is missing or expired; exchanges stop until a valid one is downloaded.");
        }

        var conf = trust.Configuration;
        if (!conf.FindServersHosting(client).Any(s => s.Id == local.ServerId))
        {
            return ExchangeFailure.ClientProxy(ErrorCatalog.InvalidClientIdentifier, $"The client {client} is not registered for this security server in the global configuration.");
        }

        if (DisabledClients.IsDisabled(local, conf, client))
        {
            return ExchangeFailure.ClientProxy(ErrorCatalog.ClientDisabled, $"The client {client} is disabled on this security server; it cannot call services until it is enabled again.");
        }

        var hosting = conf.FindServersHosting(service.Client);
        if (pinned is not null)
        {
            candidates = [.. hosting.Where(s => s.Id == pinned)];
            if (candidates.Count == 0)
            {
                return ExchangeFailure.Client(ErrorCatalog.InvalidSecurityServer, $"The security server {pinned} does not host {service.Client}.");
            }
        }
        else if (hosting.Count == 0)
        {
            return ExchangeFailure.ClientProxy(ErrorCatalog.UnknownMember, $"No security server in the global configuration hosts {service.Client}.");
        }
        else
        {
            candidates = [.. hosting];
        }

        return _recorder.IsWithinTimeStampingPeriod
            ? null
            : ExchangeFailure.ClientProxy(ErrorCatalog.TimestamperFailed, "Time-stamping has failed for longer than the acceptable period; no new messages are accepted until it recovers.");
    }

    /// <summary>Signs the request head for the client member and logs the request; only then may it leave.</summary>
    public async Task<(EnvelopePrefix? Prefix, ExchangeFailure? Failure)> SignAndLogAsync(OutboundRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var stage = Stopwatch.GetTimestamp();
        var signed = await _signer.SignAsync(request.Client.Member, RequestHash.SigningDigest(request.HeadBytes), cancellationToken).ConfigureAwait(false);
        if (!signed.IsSuccess)
        {
            return (null, ExchangeFailure.ClientProxy(SignFailures.EntryOf(signed.Failure), $"The request cannot be signed for {request.Client.Member}: {signed.Message}"));
        }

        var signature = BatchSignatureEncoding.Encode(signed.Signature!);
        _responder.Stage("sign", stage);

        stage = Stopwatch.GetTimestamp();
        var record = _recorder.Record(RecordSide.Client, RecordKind.Request, request.Ids, null, request.HeadBytes, signature, signed.OcspResponse, request.Body, logBody: true);
        if (await _recorder.AppendAsync(record, ErrorFamily.ServerClientProxy, cancellationToken).ConfigureAwait(false) is { } notLogged)
        {
            return (null, notLogged);
        }

        _responder.Stage("log_request", stage);
        return (new EnvelopePrefix(request.HeadBytes, signature, signed.OcspResponse.ToArray(), _identity.AuthenticationOcsp().ToArray()), null);
    }

    /// <summary>Sends the envelope to the first candidate that accepts a connection.</summary>
    public async Task<(PeerResponse? Response, SecurityServerInfo? Provider, ExchangeFailure? Failure)> SendAsync(
        IReadOnlyList<SecurityServerInfo> candidates, OutboundRequest request, EnvelopePrefix prefix, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(request);
        var stage = Stopwatch.GetTimestamp();
        var prefixBytes = EnvelopeFrame.WritePrefix(prefix);
        PeerResponse? response = null;
        SecurityServerInfo? provider = null;
        ExchangeFailure? failure = null;
        foreach (var candidate in candidates)
        {
            var sent = await _peers.SendAsync(candidate, request.EnvelopePath, prefixBytes, request.Body.Memory, cancellationToken).ConfigureAwait(false);
            (response, failure, provider) = (sent.Response, sent.Failure, candidate);
            if (!sent.ConnectFailed)
            {
                break;
            }
        }

        _responder.Stage("send", stage);
        return response is null
            ? (null, provider, failure ?? ExchangeFailure.ClientProxy(ErrorCatalog.NetworkError, "No provider security server could be reached."))
            : (response, provider, null);
    }

    /// <summary>
    /// Checks what every answer must satisfy whatever the protocol: the body matches the signed digest,
    /// the TLS peer is registered for a server hosting the provider, and the signature is the provider member's.
    /// </summary>
    public ExchangeFailure? CheckAnswer(TrustContext trust, SecurityServerInfo provider, ServiceId service, PeerResponse response, ReadOnlySpan<byte> signedBodyDigest)
    {
        ArgumentNullException.ThrowIfNull(trust);
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(response);
        if (!CryptographicOperations.FixedTimeEquals(response.Body!.Digest, signedBodyDigest))
        {
            return ExchangeFailure.ClientProxy(ErrorCatalog.InvalidSignatureValue, "The response body does not match its signed digest.");
        }

        if (response.PeerCertificate is null)
        {
            return ExchangeFailure.ClientProxy(ErrorCatalog.SslAuthenticationFailed, "The provider's TLS certificate is unknown.");
        }

        var prefix = response.Prefix!;
        return _authenticator.CheckPeer(trust, response.PeerCertificate, service.Client, provider.Id, prefix.AuthenticationOcsp, isServerProxy: false)
            ?? SignatureChecks.Verify(trust, prefix, service.Client.Member, _time.GetUtcNow(), ErrorFamily.ServerClientProxy);
    }

    /// <summary>
    /// A receipt in a response head must name the provider's server that answered (the one whose TLS certificate
    /// <see cref="CheckAnswer"/> checks): a receipt for another server's log would be worthless evidence. A head
    /// without one (an older provider server) is accepted.
    /// </summary>
    public static ExchangeFailure? CheckReceipt(LogReceipt? receipt, SecurityServerInfo provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        return receipt is null || receipt.Server == provider.Id
            ? null
            : ExchangeFailure.ClientProxy(ErrorCatalog.InconsistentResponse, $"The response's log receipt names {receipt.Server}, not the answering server {provider.Id}.");
    }

    /// <summary>Logs the verified answer; only then may it reach the IS.</summary>
    public async Task<ExchangeFailure?> LogAnswerAsync(OutboundRequest request, PeerResponse response, int status, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(response);
        var stage = Stopwatch.GetTimestamp();
        var record = _recorder.Record(RecordSide.Client, RecordKind.Response, request.Ids, status, response.Prefix!.Head, response.Prefix.Signature, response.Prefix.SigningOcsp, response.Body!, logBody: true);
        var failure = await _recorder.AppendAsync(record, ErrorFamily.ServerClientProxy, cancellationToken).ConfigureAwait(false);
        _responder.Stage("log_response", stage);
        return failure;
    }

    /// <summary>Logs that the exchange ended in <paramref name="code"/> after its request was logged.</summary>
    public async Task RecordErrorOutcomeAsync(OutboundRequest request, string code, int status)
    {
        ArgumentNullException.ThrowIfNull(request);
        var record = _recorder.ErrorRecord(RecordSide.Client, request.Ids, status, code);
        if (await _recorder.AppendAsync(record, ErrorFamily.ServerClientProxy, CancellationToken.None).ConfigureAwait(false) is { } failure)
        {
            ExchangeLog.OutcomeNotLogged(_logger, ClientProxy.Side, request.RequestId, failure.Message);
        }
    }
}
