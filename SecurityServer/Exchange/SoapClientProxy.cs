using System.Diagnostics;
using ExchangeGateway.Common.Errors;
using ExchangeGateway.Common.Exchange;
using ExchangeGateway.Common.Mime;
using ExchangeGateway.Common.Soap;
using ExchangeGateway.Common.Xml;
using ExchangeGateway.Config.Model;
using ExchangeGateway.SecurityServer.Hosting;
using ExchangeGateway.SecurityServer.Registry;
using Microsoft.Extensions.Options;

namespace ExchangeGateway.SecurityServer.Exchange;

/// <summary>
/// The client proxy for SOAP (X-Road message protocol 4.0): reads the SOAP message (plain, with
/// attachments, or MTOM) under the hardened reader's limits, takes the client and service from its
/// X-Road header, signs one head that digests the SOAP part and every attachment, logs, sends, and checks
/// that the answer echoes the request and carries the <c>xrd:requestHash</c> of the SOAP part that was
/// sent. Every failure is a SOAP fault.
/// </summary>
public sealed class SoapClientProxy
{
    private readonly LocalConfigurationStore _local;
    private readonly ClientExchangeSteps _steps;
    private readonly ExchangeResponder _responder;
    private readonly long _maxBodyBytes;
    private readonly XmlLimits _limits = XmlLimits.Default;

    /// <summary>Creates the proxy.</summary>
    public SoapClientProxy(LocalConfigurationStore local, ClientExchangeSteps steps, ExchangeResponder responder, IOptions<SecurityServerOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _local = local;
        _steps = steps;
        _responder = responder;
        _maxBodyBytes = options.Value.MaxBodyBytes;
    }

    /// <summary>Handles one SOAP request from a local IS.</summary>
    public Task HandleAsync(HttpContext context)
    {
        ExchangeResponder.UseSoapFaults(context);
        return _responder.RunAsync(
            context, ClientProxy.Side, "client_total", ErrorCode.Client(ErrorCatalog.InvalidRequest), ErrorCode.ClientProxy(ErrorCatalog.InternalError), ExchangeAsync);
    }

    private async Task<ExchangeFailure?> ExchangeAsync(HttpContext context)
    {
        var stage = Stopwatch.GetTimestamp();
        if (context.Request.ContentLength is { } declared && declared > _maxBodyBytes)
        {
            return TooLarge();
        }

        ClientProxy.DisableFrameworkBodyLimit(context);
        using var body = await BodyBuffer.ReadAsync(context.Request.Body, _maxBodyBytes, context.Request.ContentLength, context.RequestAborted).ConfigureAwait(false);
        if (body is null)
        {
            return context.Request.ContentLength is null ? TooLarge() : ExchangeFailure.Client(ErrorCatalog.InvalidRequest, "The body is shorter or longer than its Content-Length.");
        }

        var contentType = context.Request.ContentType;
        var parsed = SoapMessageReader.ReadRequest(body.Memory, contentType, _limits);
        if (!parsed.Success)
        {
            return new ExchangeFailure(ErrorCode.Parse(parsed.ErrorCode), parsed.Message);
        }

        var message = parsed.Value!;
        var header = message.Envelope.Header!;
        var (client, service) = (header.Client, header.Service!);
        var local = _local.Current;
        var localClient = local?.FindClient(client);
        if (local is null || localClient is null || !client.IsSubsystem)
        {
            return ExchangeFailure.Client(ErrorCatalog.InvalidClientIdentifier, $"{client} is not a client subsystem of this security server.");
        }

        var isAuth = IsAuthorization.Check(localClient, context.Request.IsHttps, context.Connection.ClientCertificate);
        if (!isAuth.IsAllowed)
        {
            return new ExchangeFailure(IsAuthorizationResult.ErrorCode, isAuth.Message ?? "The information system may not act for this client.");
        }

        var soapAction = context.Request.Headers["SOAPAction"];
        if (soapAction.Count > 1 || (soapAction.Count == 1 && !HeaderPolicy.IsSafeValue(soapAction[0]!)))
        {
            return ExchangeFailure.Client(ErrorCatalog.InvalidSoapAction, "SOAPAction must appear at most once, without control characters.");
        }

        if (_steps.Route(local, client, service, header.SecurityServer, out var trust, out var candidates) is { } routeFailure)
        {
            return routeFailure;
        }

        var (soapDigest, attachments) = SoapParts.Digest(message);
        List<MessageHeader> headers = [new(SoapParts.ContentTypeHeader, contentType!)];
        if (soapAction.Count == 1)
        {
            headers.Add(new(SoapParts.SoapActionHeader, soapAction[0]!));
        }

        var head = new SoapRequestHead
        {
            Service = service,
            Client = client,
            MessageId = header.Id,
            RequestId = Guid.NewGuid(),
            UserId = header.UserId,
            Issue = header.Issue,
            RepresentedParty = SoapParts.PartyText(header.RepresentedParty),
            SecurityServer = header.SecurityServer,
            ProtocolVersion = header.ProtocolVersion,
            Headers = headers,
            SoapLength = message.Soap.Length,
            SoapDigest = soapDigest,
            Attachments = attachments,
            BodyLength = body.Length,
            BodyDigest = body.Digest,
        };
        var outbound = new OutboundRequest(client, service, head.MessageId, head.RequestId, head.UserId, HeadCodec.Encode(head), body, EnvelopeFrame.SoapPath) { SoapDigest = soapDigest };
        _responder.Stage("client_parse", stage);

        var (prefix, notSent) = await _steps.SignAndLogAsync(outbound, context.RequestAborted).ConfigureAwait(false);
        if (notSent is not null)
        {
            return notSent;
        }

        var outcome = await SendAndVerifyAsync(context, trust!, candidates, message, outbound, prefix!).ConfigureAwait(false);
        if (outcome is not null)
        {
            await _steps.RecordErrorOutcomeAsync(outbound, outcome.Code.Value, ErrorHttpStatus.SoapFault).ConfigureAwait(false);
        }

        return outcome;
    }

    private async Task<ExchangeFailure?> SendAndVerifyAsync(
        HttpContext context, TrustContext trust, IReadOnlyList<SecurityServerInfo> candidates, SoapMessage request, OutboundRequest outbound, EnvelopePrefix prefix)
    {
        var (response, provider, failure) = await _steps.SendAsync(candidates, outbound, prefix, context.RequestAborted).ConfigureAwait(false);
        if (response is null)
        {
            return failure;
        }

        using (response)
        {
            if (response.Prefix is null)
            {
                if (response.ErrorCode is not null && response.ErrorBody is not null)
                {
                    await ClientProxy.PassErrorAsync(context, response).ConfigureAwait(false);
                    await _steps.RecordErrorOutcomeAsync(outbound, response.ErrorCode, ErrorHttpStatus.SoapFault).ConfigureAwait(false);
                    _responder.Refused(ClientProxy.Side, response.ErrorCode);
                    return null;
                }

                return ExchangeFailure.ClientProxy(ErrorCatalog.InvalidResponse, $"The answer of {provider!.Id} is not a readable envelope.");
            }

            var stage = Stopwatch.GetTimestamp();
            var (responseHead, verifyFailure) = Verify(trust, provider!, request, outbound, response);
            if (verifyFailure is not null)
            {
                return verifyFailure;
            }

            _responder.Stage("verify", stage);
            if (await _steps.LogAnswerAsync(outbound, response, responseHead!.Status, context.RequestAborted).ConfigureAwait(false) is { } notLogged)
            {
                return notLogged;
            }

            // Only Content-Type goes back to the IS (XROAD-COMPAT.md).
            context.Response.StatusCode = responseHead.Status;
            context.Response.ContentType = SoapParts.Find(responseHead.Headers, SoapParts.ContentTypeHeader);
            context.Response.ContentLength = response.Body!.Length;
            await context.Response.Body.WriteAsync(response.Body.Memory, context.RequestAborted).ConfigureAwait(false);
            return null;
        }
    }

    private (SoapResponseHead? Head, ExchangeFailure? Failure) Verify(TrustContext trust, SecurityServerInfo provider, SoapMessage request, OutboundRequest outbound, PeerResponse response)
    {
        var decoded = HeadCodec.DecodeSoapResponse(response.Prefix!.Head);
        if (!decoded.Success)
        {
            return (null, ExchangeFailure.ClientProxy(ErrorCatalog.InvalidResponse, $"The response head is malformed: {decoded.Message}"));
        }

        var head = decoded.Value!;
        var requestHeader = request.Envelope.Header!;
        if (head.RequestId != outbound.RequestId || head.MessageId != outbound.MessageId || head.Client != outbound.Client || head.Service != outbound.Service)
        {
            return (null, Inconsistent("The response answers another request."));
        }

        if (!string.Equals(head.RequestHash, RequestHash.Compute(outbound.HeadBytes, outbound.Body.Digest, outbound.Body.Length), StringComparison.Ordinal))
        {
            return (null, Inconsistent("The request hash in the response head does not match the request that was sent."));
        }

        if (ClientExchangeSteps.CheckReceipt(head.LogReceipt, provider) is { } badReceipt)
        {
            return (null, badReceipt);
        }

        if (_steps.CheckAnswer(trust, provider, outbound.Service, response, head.BodyDigest.Span) is { } answerFailure)
        {
            return (null, answerFailure);
        }

        // The signature holds; the SOAP is still read under the limits before the IS gets it.
        var parsed = SoapMessageReader.ReadResponse(response.Body!.Memory, SoapParts.Find(head.Headers, SoapParts.ContentTypeHeader), _limits);
        if (!parsed.Success)
        {
            return (null, ExchangeFailure.Refamily(ErrorFamily.ServerClientProxy, parsed.ErrorCode, $"The provider's response cannot be read: {parsed.Message}", ErrorCatalog.InvalidResponse));
        }

        var answer = parsed.Value!;
        if (!SoapParts.Match(answer, head.SoapDigest.Span, head.SoapLength, head.Attachments) || answer.Envelope.IsFault != head.Fault)
        {
            return (null, Inconsistent("The response's parts do not match its signed head."));
        }

        if (!answer.Envelope.IsFault)
        {
            var echo = answer.Envelope.Header;
            if (echo is null || echo.Client != requestHeader.Client || echo.Service != requestHeader.Service || !string.Equals(echo.Id, requestHeader.Id, StringComparison.Ordinal))
            {
                return (null, Inconsistent("The response does not echo the request's client, service and id."));
            }

            if (!string.Equals(echo.RequestHash, SoapRequestHash.FromDigest(outbound.SoapDigest.Span), StringComparison.Ordinal))
            {
                return (null, Inconsistent("xrd:requestHash in the response does not match the SOAP request that was sent."));
            }
        }

        return (head, null);
    }

    private static ExchangeFailure Inconsistent(string message) => ExchangeFailure.ClientProxy(ErrorCatalog.InconsistentResponse, message);

    private ExchangeFailure TooLarge() =>
        ExchangeFailure.Client(ErrorCatalog.RequestTooLarge, $"The request body exceeds {_maxBodyBytes} bytes.");
}
