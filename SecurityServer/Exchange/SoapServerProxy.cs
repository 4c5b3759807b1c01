using System.Diagnostics;
using ExchangeGateway.Common.Errors;
using ExchangeGateway.Common.Exchange;
using ExchangeGateway.Common.Mime;
using ExchangeGateway.Common.Soap;
using ExchangeGateway.Common.Xml;
using ExchangeGateway.SecurityServer.Registry;

namespace ExchangeGateway.SecurityServer.Exchange;

/// <summary>
/// The server proxy for SOAP envelopes (<see cref="EnvelopeFrame.SoapPath"/>). Besides the steps every
/// exchange takes, it re-reads the SOAP message under the hardened reader's limits and refuses it unless
/// its X-Road header and its parts are exactly what the client's server signed (so a peer cannot get one
/// service authorised and another called); it refuses REST services (<c>wrong_service_type</c>); it sends
/// the provider only <c>Content-Type</c> and <c>SOAPAction</c>; and it adds <c>xrd:requestHash</c> to a
/// non-fault answer after checking that the answer echoes the request's header.
/// </summary>
public sealed class SoapServerProxy
{
    private readonly LocalConfigurationStore _local;
    private readonly ServerExchangeSteps _steps;
    private readonly ProviderForwarder _forwarder;
    private readonly ServerMetaservices _metaservices;
    private readonly ExchangeResponder _responder;
    private readonly XmlLimits _limits = XmlLimits.Default;

    /// <summary>Creates the proxy.</summary>
    public SoapServerProxy(LocalConfigurationStore local, ServerExchangeSteps steps, ProviderForwarder forwarder, ServerMetaservices metaservices, ExchangeResponder responder)
    {
        _local = local;
        _steps = steps;
        _forwarder = forwarder;
        _metaservices = metaservices;
        _responder = responder;
    }

    /// <summary>Handles one SOAP envelope from another security server.</summary>
    public Task HandleAsync(HttpContext context) =>
        _responder.RunAsync(
            context, ServerProxy.Side, "server_total", ErrorCode.ServerProxy(ErrorCatalog.InvalidMessage), ErrorCode.ServerProxy(ErrorCatalog.InternalError), ExchangeAsync);

    private async Task<ExchangeFailure?> ExchangeAsync(HttpContext context)
    {
        var (prefix, trust, failure) = await _steps.ReadPrefixAsync(context, EnvelopeFrame.SoapPath).ConfigureAwait(false);
        if (failure is not null)
        {
            return failure;
        }

        var decoded = HeadCodec.DecodeSoapRequest(prefix!.Head);
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
            var parsed = SoapMessageReader.ReadRequest(body!.Memory, SoapParts.Find(head.Headers, SoapParts.ContentTypeHeader), _limits);
            if (!parsed.Success)
            {
                return ExchangeFailure.Refamily(ErrorFamily.ServerServerProxy, parsed.ErrorCode, $"The SOAP request cannot be read: {parsed.Message}", ErrorCatalog.InvalidMessage);
            }

            var message = parsed.Value!;
            if (Mismatch(head, message) is { } mismatch)
            {
                return ExchangeFailure.ServerProxy(ErrorCatalog.InconsistentHeaders, $"The SOAP message does not match its signed head: {mismatch}.");
            }

            var local = _local.Current;
            if (local is not null && DisabledClients.IsDisabled(local, trust!.Configuration, head.Service.Client))
            {
                return ExchangeFailure.ServerProxy(ErrorCatalog.ClientDisabled, $"The provider {head.Service.Client} is disabled on this security server.");
            }

            if (ServerMetaservices.IsSoap(head.Service) && local?.FindSubsystem(head.Service.Client) is not null)
            {
                return await MetaserviceAsync(context, head, inbound, prefix, local, trust!, message, body).ConfigureAwait(false);
            }

            var decision = local is null ? AccessDecision.UnknownService : AccessControl.Decide(local, trust!.Configuration, head.Client, head.Service, "POST", string.Empty);
            if (decision != AccessDecision.Allowed)
            {
                return new ExchangeFailure(decision.ToErrorCode(), decision switch
                {
                    AccessDecision.UnknownService => $"The service {head.Service} is not known here.",
                    AccessDecision.ServiceDisabled => $"The service {head.Service} is disabled.",
                    _ => $"{head.Client} may not call {head.Service}.",
                });
            }

            var service = local!.FindService(head.Service)!;
            if (service.Type == ServiceType.Rest)
            {
                return ExchangeFailure.Client(ErrorCatalog.WrongServiceType, $"{head.Service} is a REST service; call it through /r1/, not with SOAP.");
            }

            var (receipt, notLogged) = await _steps.LogRequestAsync(context, local.ServerId, inbound, prefix, body, service.LogBodies).ConfigureAwait(false);
            if (notLogged is not null)
            {
                return notLogged;
            }

            var outcome = await ForwardAndAnswerAsync(context, head, inbound, prefix.Head, message, service, body, receipt).ConfigureAwait(false);
            if (outcome is not null)
            {
                await _steps.RecordErrorOutcomeAsync(inbound, outcome).ConfigureAwait(false);
            }

            return outcome;
        }
    }

    private async Task<ExchangeFailure?> ForwardAndAnswerAsync(
        HttpContext context, SoapRequestHead head, ExchangeIds inbound, byte[] headBytes, SoapMessage request, LocalService service, BodyBuffer body, LogReceipt? receipt)
    {
        var stage = Stopwatch.GetTimestamp();
        var forwarded = new ProviderRequest(
            head.Service.ToString(),
            new Uri(service.Url),
            "POST",
            [.. head.Headers.Where(h => h.Name is SoapParts.ContentTypeHeader or SoapParts.SoapActionHeader)],
            body.Memory,
            new ProviderTimeouts(service.ConnectTimeout, service.ReadTimeout, service.TotalTimeout),
            service.VerifyTls);
        var (response, forwardFailure) = await _forwarder.ForwardAsync(forwarded, context.RequestAborted).ConfigureAwait(false);
        _responder.Stage("forward", stage);
        if (response is null)
        {
            return forwardFailure;
        }

        using (response)
        {
            var (answer, contentType, answerFailure) = ReadAnswer(head, request, response);
            if (answerFailure is not null)
            {
                return answerFailure;
            }

            using (answer)
            {
                return await AnswerWithAsync(context, head, inbound, headBytes, body, response.Status, contentType!, answer!, service.LogBodies, receipt).ConfigureAwait(false);
            }
        }
    }

    /// <summary>A metaservice: logged and answered like a provider call, but answered here.</summary>
    private async Task<ExchangeFailure?> MetaserviceAsync(
        HttpContext context, SoapRequestHead head, ExchangeIds inbound, EnvelopePrefix prefix, LocalConfiguration local, TrustContext trust, SoapMessage message, BodyBuffer body)
    {
        var (answer, contentType, refused) = _metaservices.AnswerSoap(local, trust.Configuration, message);
        if (answer is null)
        {
            return refused;
        }

        var (receipt, notLogged) = await _steps.LogRequestAsync(context, local.ServerId, inbound, prefix, body, logBody: true).ConfigureAwait(false);
        if (notLogged is not null)
        {
            return notLogged;
        }

        using var buffer = BodyBuffer.FromBytes(answer);
        var outcome = await AnswerWithAsync(context, head, inbound, prefix.Head, body, StatusCodes.Status200OK, contentType!, buffer, logBodies: true, receipt).ConfigureAwait(false);
        if (outcome is not null)
        {
            await _steps.RecordErrorOutcomeAsync(inbound, outcome).ConfigureAwait(false);
        }

        return outcome;
    }

    /// <summary>Signs a head digesting every part of <paramref name="answer"/> with the request hash, logs it, and only then lets it leave.</summary>
    private async Task<ExchangeFailure?> AnswerWithAsync(
        HttpContext context, SoapRequestHead head, ExchangeIds inbound, byte[] headBytes, BodyBuffer body, int status, string contentType, BodyBuffer answer, bool logBodies, LogReceipt? receipt)
    {
        var parts = SoapMessageReader.ReadResponse(answer.Memory, contentType, _limits);
        if (!parts.Success)
        {
            return ExchangeFailure.ServerProxy(ErrorCatalog.InternalError, $"The answer to be signed cannot be read back: {parts.Message}");
        }

        var (soapDigest, attachments) = SoapParts.Digest(parts.Value!);
        var responseHead = new SoapResponseHead
        {
            Status = status,
            Service = head.Service,
            Client = head.Client,
            MessageId = head.MessageId,
            RequestId = head.RequestId,
            RequestHash = RequestHash.Compute(headBytes, body.Digest, body.Length),
            Fault = parts.Value!.Envelope.IsFault,
            Headers = [new(SoapParts.ContentTypeHeader, contentType)],
            LogReceipt = receipt,
            SoapLength = parts.Value.Soap.Length,
            SoapDigest = soapDigest,
            Attachments = attachments,
            BodyLength = answer.Length,
            BodyDigest = answer.Digest,
        };
        return await _steps.AnswerAsync(context, inbound, HeadCodec.Encode(responseHead), status, answer, logBodies).ConfigureAwait(false);
    }

    /// <summary>
    /// Reads the provider's answer: a fault passes through unchanged; anything else must echo the request's
    /// client, service and id, and gets <c>xrd:requestHash</c> over the request's SOAP part (the signed
    /// head's SOAP digest, which <see cref="Mismatch"/> checked against the bytes).
    /// </summary>
    private (BodyBuffer? Answer, string? ContentType, ExchangeFailure? Failure) ReadAnswer(SoapRequestHead head, SoapMessage request, ProviderResponse response)
    {
        var contentType = SoapParts.Find(response.Headers, SoapParts.ContentTypeHeader);
        var parsed = SoapMessageReader.ReadResponse(response.Body.Memory, contentType, _limits);
        if (!parsed.Success)
        {
            return (null, null, ExchangeFailure.Refamily(ErrorFamily.ServerServerProxy, parsed.ErrorCode, $"The provider's answer is not acceptable SOAP: {parsed.Message}", ErrorCatalog.ServiceFailed));
        }

        var answer = parsed.Value!;
        if (answer.Envelope.IsFault)
        {
            return (BodyBuffer.FromBytes(response.Body.Memory.ToArray()), contentType, null);
        }

        var echo = answer.Envelope.Header;
        if (echo is null || echo.Client != head.Client || echo.Service != head.Service || !string.Equals(echo.Id, head.MessageId, StringComparison.Ordinal))
        {
            return (null, null, ExchangeFailure.ServerProxy(ErrorCatalog.InconsistentResponse, "The provider's answer does not echo the request's client, service and id."));
        }

        if (echo.RequestHash is not null)
        {
            return (null, null, ExchangeFailure.ServerProxy(ErrorCatalog.InconsistentResponse, "The provider's answer already carries xrd:requestHash; only the security server sets it."));
        }

        var soap = SoapResponseEditor.InsertRequestHash(answer.Soap.Span, answer.Envelope, SoapRequestHash.FromDigest(head.SoapDigest.Span));
        return (BodyBuffer.FromBytes(answer.WithSoap(soap)), contentType, null);
    }

    private static string? Mismatch(SoapRequestHead head, SoapMessage message)
    {
        var h = message.Envelope.Header!;
        var party = SoapParts.PartyText(h.RepresentedParty);
        return (h.Client != head.Client) ? "client"
            : (h.Service != head.Service) ? "service"
            : !string.Equals(h.Id, head.MessageId, StringComparison.Ordinal) ? "id"
            : !string.Equals(h.UserId, head.UserId, StringComparison.Ordinal) ? "userId"
            : !string.Equals(h.Issue, head.Issue, StringComparison.Ordinal) ? "issue"
            : !string.Equals(h.ProtocolVersion, head.ProtocolVersion, StringComparison.Ordinal) ? "protocolVersion"
            : h.SecurityServer != head.SecurityServer ? "securityServer"
            : !string.Equals(party, head.RepresentedParty, StringComparison.Ordinal) ? "representedParty"
            : !SoapParts.Match(message, head.SoapDigest.Span, head.SoapLength, head.Attachments) ? "parts"
            : null;
    }
}
