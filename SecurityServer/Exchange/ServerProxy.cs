using System.Diagnostics;
using ExchangeGateway.Common.Errors;
using ExchangeGateway.Common.Exchange;
using ExchangeGateway.SecurityServer.Operations;
using ExchangeGateway.SecurityServer.Registry;

namespace ExchangeGateway.SecurityServer.Exchange;

/// <summary>
/// The server proxy (ARCHITECTURE.md §2 step 4), in X-Road's order: authenticate the peer, verify the
/// signature and that it is the client member's, reject replays, check the service, its type and the
/// access rights (default deny), log the request, forward it, sign the response with the request hash,
/// log the response, answer. A failure at any stage answers an X-Road error and the provider sees
/// nothing. REST envelopes arrive on <see cref="EnvelopeFrame.RestPath"/>; SOAP ones go to <see cref="SoapServerProxy"/>.
/// </summary>
public sealed class ServerProxy
{
    /// <summary>The metric and log name of this side.</summary>
    public const string Side = ExchangeMetrics.SideServer;

    private readonly LocalConfigurationStore _local;
    private readonly ServerExchangeSteps _steps;
    private readonly SoapServerProxy _soap;
    private readonly ProviderForwarder _forwarder;
    private readonly ServerMetaservices _metaservices;
    private readonly ExchangeResponder _responder;

    /// <summary>Creates the proxy.</summary>
    public ServerProxy(LocalConfigurationStore local, ServerExchangeSteps steps, SoapServerProxy soap, ProviderForwarder forwarder, ServerMetaservices metaservices, ExchangeResponder responder)
    {
        _local = local;
        _steps = steps;
        _soap = soap;
        _forwarder = forwarder;
        _metaservices = metaservices;
        _responder = responder;
    }

    /// <summary>Handles one envelope from another security server.</summary>
    public Task HandleAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (string.Equals(context.Request.Path.Value, EnvelopeFrame.SoapPath, StringComparison.Ordinal))
        {
            return _soap.HandleAsync(context);
        }

        return _responder.RunAsync(
            context, Side, "server_total", ErrorCode.ServerProxy(ErrorCatalog.InvalidMessage), ErrorCode.ServerProxy(ErrorCatalog.InternalError), ExchangeAsync);
    }

    private async Task<ExchangeFailure?> ExchangeAsync(HttpContext context)
    {
        var (prefix, trust, failure) = await _steps.ReadPrefixAsync(context, EnvelopeFrame.RestPath).ConfigureAwait(false);
        if (failure is not null)
        {
            return failure;
        }

        var decoded = HeadCodec.DecodeRequest(prefix!.Head);
        if (!decoded.Success)
        {
            return ExchangeFailure.ServerProxy(ErrorCatalog.InvalidMessage, $"The request head is malformed: {decoded.Message}");
        }

        var head = decoded.Value!;
        var inbound = new ExchangeIds(head.Client, head.Service, head.MessageId, head.RequestId, head.UserId);
        var (body, refused) = await _steps.AuthenticateAsync(context, trust!, prefix, inbound, head.BodyLength, head.BodyDigest).ConfigureAwait(false);
        if (refused is not null)
        {
            return refused;
        }

        using (body)
        {
            var local = _local.Current;
            if (local is not null && DisabledClients.IsDisabled(local, trust!.Configuration, head.Service.Client))
            {
                return ExchangeFailure.ServerProxy(ErrorCatalog.ClientDisabled, $"The provider {head.Service.Client} is disabled on this security server.");
            }

            if (ServerMetaservices.IsRest(head.Service) && local?.FindSubsystem(head.Service.Client) is not null)
            {
                return await MetaserviceAsync(context, head, inbound, prefix, local, trust!, body!).ConfigureAwait(false);
            }

            // 3 and 4. The service, its type, and the access rights (default deny).
            var rawPath = head.Target.Split('?', 2)[0];
            var decision = local is null ? AccessDecision.UnknownService : AccessControl.Decide(local, trust!.Configuration, head.Client, head.Service, head.Method, rawPath);
            if (decision != AccessDecision.Allowed)
            {
                return new ExchangeFailure(decision.ToErrorCode(), DescribeRefusal(decision, head));
            }

            var service = local!.FindService(head.Service)!;
            if (service.Type != ServiceType.Rest)
            {
                return ExchangeFailure.Client(ErrorCatalog.WrongServiceType, $"{head.Service} is a SOAP service; call it with a SOAP request, not through /r1/.");
            }

            // 5. Log the request before anything is forwarded.
            var (receipt, notLogged) = await _steps.LogRequestAsync(context, local.ServerId, inbound, prefix, body!, service.LogBodies).ConfigureAwait(false);
            if (notLogged is not null)
            {
                return notLogged;
            }

            var outcome = await ForwardAndAnswerAsync(context, head, inbound, prefix.Head, service, body!, receipt).ConfigureAwait(false);
            if (outcome is not null)
            {
                await _steps.RecordErrorOutcomeAsync(inbound, outcome).ConfigureAwait(false);
            }

            return outcome;
        }
    }

    private async Task<ExchangeFailure?> ForwardAndAnswerAsync(HttpContext context, RestRequestHead head, ExchangeIds inbound, byte[] headBytes, LocalService service, BodyBuffer body, LogReceipt? receipt)
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
            return await AnswerWithAsync(context, head, inbound, headBytes, body, response, service.LogBodies, receipt).ConfigureAwait(false);
        }
    }

    /// <summary>A metaservice: logged and answered like a provider call, but answered here.</summary>
    private async Task<ExchangeFailure?> MetaserviceAsync(HttpContext context, RestRequestHead head, ExchangeIds inbound, EnvelopePrefix prefix, LocalConfiguration local, TrustContext trust, BodyBuffer body)
    {
        var (response, refused) = _metaservices.AnswerRest(local, trust.Configuration, head);
        if (response is null)
        {
            return refused;
        }

        using (response)
        {
            var (receipt, notLogged) = await _steps.LogRequestAsync(context, local.ServerId, inbound, prefix, body, logBody: true).ConfigureAwait(false);
            if (notLogged is not null)
            {
                return notLogged;
            }

            var outcome = await AnswerWithAsync(context, head, inbound, prefix.Head, body, response, logBodies: true, receipt).ConfigureAwait(false);
            if (outcome is not null)
            {
                await _steps.RecordErrorOutcomeAsync(inbound, outcome).ConfigureAwait(false);
            }

            return outcome;
        }
    }

    /// <summary>7 and 8: signs the response together with the request hash, logs it, and only then lets it leave.</summary>
    private Task<ExchangeFailure?> AnswerWithAsync(HttpContext context, RestRequestHead head, ExchangeIds inbound, byte[] headBytes, BodyBuffer body, ProviderResponse response, bool logBodies, LogReceipt? receipt)
    {
        var responseHead = new RestResponseHead
        {
            Status = response.Status,
            Service = head.Service,
            Client = head.Client,
            MessageId = head.MessageId,
            RequestId = head.RequestId,
            RequestHash = RequestHash.Compute(headBytes, body.Digest, body.Length),
            Headers = response.Headers,
            LogReceipt = receipt,
            BodyLength = response.Body.Length,
            BodyDigest = response.Body.Digest,
        };
        return _steps.AnswerAsync(context, inbound, HeadCodec.Encode(responseHead), response.Status, response.Body, logBodies);
    }

    private static string DescribeRefusal(AccessDecision decision, RestRequestHead head) => decision switch
    {
        AccessDecision.UnknownService => $"The service {head.Service} is not known here.",
        AccessDecision.ServiceDisabled => $"The service {head.Service} is disabled.",
        AccessDecision.AccessDenied => $"{head.Client} may not call {head.Method} {head.Service}.",
        _ => "The service path is not acceptable.",
    };
}
