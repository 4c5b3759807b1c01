using System.Diagnostics;
using System.Security.Cryptography;
using ExchangeGateway.Common.Crypto.Batch;
using ExchangeGateway.Common.Errors;
using ExchangeGateway.Common.Exchange;
using ExchangeGateway.Common.Identifiers;
using ExchangeGateway.Config.Model;
using ExchangeGateway.MessageLog.Records;
using ExchangeGateway.SecurityServer.Hosting;
using ExchangeGateway.SecurityServer.Operations;
using ExchangeGateway.SecurityServer.Registry;
using ExchangeGateway.Signer.Signing;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace ExchangeGateway.SecurityServer.Exchange;

/// <summary>
/// The client proxy (ARCHITECTURE.md §2, steps 1–3 and 5): takes an X-Road REST r1 call from a local
/// IS, checks it, signs and logs the request, sends it to the provider's security server, verifies and
/// logs the answer, and returns it with the X-Road response headers. Each stage either passes or ends
/// the exchange with one error; nothing unsigned or unlogged leaves.
/// </summary>
public sealed class ClientProxy
{
    /// <summary>The metric and log name of this side.</summary>
    public const string Side = ExchangeMetrics.SideClient;

    private const string R1Prefix = "/r1/";
    private const string ListClientsPath = "/listClients";
    private readonly LocalConfigurationStore _local;
    private readonly TrustContextProvider _trust;
    private readonly ClientExchangeSteps _steps;
    private readonly SoapClientProxy _soap;
    private readonly ExchangeResponder _responder;
    private readonly long _maxBodyBytes;

    /// <summary>Creates the proxy.</summary>
    public ClientProxy(
        LocalConfigurationStore local,
        TrustContextProvider trust,
        ClientExchangeSteps steps,
        SoapClientProxy soap,
        ExchangeResponder responder,
        IOptions<SecurityServerOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _local = local;
        _trust = trust;
        _steps = steps;
        _soap = soap;
        _responder = responder;
        _maxBodyBytes = options.Value.MaxBodyBytes;
    }

    /// <summary>
    /// Handles one request from a local IS: X-Road REST under <c>/r1/</c>; anything else POSTed is a SOAP
    /// (message protocol 4.0) request, as X-Road's client proxy accepts SOAP on any path.
    /// </summary>
    public Task HandleAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? string.Empty;
        if (!raw.StartsWith(R1Prefix, StringComparison.Ordinal) && HttpMethods.IsPost(context.Request.Method))
        {
            return _soap.HandleAsync(context);
        }

        if (HttpMethods.IsGet(context.Request.Method) && string.Equals(context.Request.Path.Value, ListClientsPath, StringComparison.Ordinal))
        {
            return _responder.RunAsync(
                context, Side, "client_total", ErrorCode.Client(ErrorCatalog.InvalidRequest), ErrorCode.ClientProxy(ErrorCatalog.InternalError), ListClientsAsync);
        }

        return _responder.RunAsync(
            context, Side, "client_total", ErrorCode.Client(ErrorCatalog.InvalidRequest), ErrorCode.ClientProxy(ErrorCatalog.InternalError), ExchangeAsync);
    }

    private async Task<ExchangeFailure?> ExchangeAsync(HttpContext context)
    {
        var stage = Stopwatch.GetTimestamp();
        var request = ParseRequest(context);
        if (request.Failure is not null)
        {
            return request.Failure;
        }

        var (service, target, client, local) = (request.Service!, request.Target!, request.Client!, request.Local!);
        if (_steps.Route(local, client, service, request.Pinned, out var trust, out var candidates) is { } routeFailure)
        {
            return routeFailure;
        }

        if (context.Request.ContentLength is { } declared && declared > _maxBodyBytes)
        {
            return TooLarge();
        }

        DisableFrameworkBodyLimit(context);
        using var body = await BodyBuffer.ReadAsync(context.Request.Body, _maxBodyBytes, context.Request.ContentLength, context.RequestAborted).ConfigureAwait(false);
        if (body is null)
        {
            return context.Request.ContentLength is null ? TooLarge() : ExchangeFailure.Client(ErrorCatalog.InvalidRequest, "The body is shorter or longer than its Content-Length.");
        }

        var head = new RestRequestHead
        {
            Method = context.Request.Method,
            Service = service,
            Target = target,
            Client = client,
            MessageId = request.MessageId!,
            RequestId = Guid.NewGuid(),
            UserId = request.UserId,
            Issue = request.Issue,
            RepresentedParty = request.RepresentedParty,
            SecurityServer = request.Pinned,
            Headers = request.Headers!,
            BodyLength = body.Length,
            BodyDigest = body.Digest,
        };
        var outbound = new OutboundRequest(client, service, head.MessageId, head.RequestId, head.UserId, HeadCodec.Encode(head), body, EnvelopeFrame.RestPath);
        _responder.Stage("client_parse", stage);

        var (prefix, notSent) = await _steps.SignAndLogAsync(outbound, context.RequestAborted).ConfigureAwait(false);
        if (notSent is not null)
        {
            return notSent;
        }

        var outcome = await SendAndVerifyAsync(context, trust!, candidates, head, outbound, prefix!).ConfigureAwait(false);
        if (outcome is not null)
        {
            await _steps.RecordErrorOutcomeAsync(outbound, outcome.Code.Value, ErrorHttpStatus.ForRest(outcome.Code)).ConfigureAwait(false);
        }

        return outcome;
    }

    /// <summary>
    /// <c>GET /listClients[?xRoadInstance=…]</c>: the federation's members and subsystems from the global
    /// configuration, as X-Road's <c>clientList</c> XML, or JSON when the IS accepts <c>application/json</c>.
    /// Answered by this server alone; nothing is signed or logged, as in X-Road.
    /// </summary>
    private async Task<ExchangeFailure?> ListClientsAsync(HttpContext context)
    {
        if (!_trust.TryGet(out var trust))
        {
            return ExchangeFailure.ClientProxy(ErrorCatalog.OutdatedGlobalConf, "The global configuration is missing or expired.");
        }

        var instances = context.Request.Query["xRoadInstance"];
        if (instances.Count > 1 || (instances.Count == 1 && (instances[0]!.Length is 0 or > 255 || !HeaderPolicy.IsSafeValue(instances[0]!))))
        {
            return ExchangeFailure.Client(ErrorCatalog.InvalidRequest, "xRoadInstance must be given at most once, as an instance code.");
        }

        var json = context.Request.Headers.Accept.ToString().Contains("application/json", StringComparison.OrdinalIgnoreCase);
        var body = json
            ? Metaservices.ClientListDocument.WriteJson(trust.Configuration, instances.Count == 1 ? instances[0] : null)
            : Metaservices.ClientListDocument.WriteXml(trust.Configuration, instances.Count == 1 ? instances[0] : null);
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = json ? Metaservices.ClientListDocument.JsonContentType : Metaservices.ClientListDocument.XmlContentType;
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
        return null;
    }

    /// <summary>Lets the proxy enforce the body limit itself, with X-Road's error shape.</summary>
    internal static void DisableFrameworkBodyLimit(HttpContext context)
    {
        var sizeFeature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false })
        {
            sizeFeature.MaxRequestBodySize = null;
        }
    }

    private async Task<ExchangeFailure?> SendAndVerifyAsync(
        HttpContext context, TrustContext trust, IReadOnlyList<SecurityServerInfo> candidates, RestRequestHead head, OutboundRequest outbound, EnvelopePrefix prefix)
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
                    // The provider's security server refused: its X-Road error goes to the IS as it is.
                    await PassErrorAsync(context, response).ConfigureAwait(false);
                    await _steps.RecordErrorOutcomeAsync(outbound, response.ErrorCode, response.ErrorStatus).ConfigureAwait(false);
                    _responder.Refused(Side, response.ErrorCode);
                    return null;
                }

                return ExchangeFailure.ClientProxy(ErrorCatalog.InvalidResponse, $"The answer of {provider!.Id} is not a readable envelope.");
            }

            var stage = Stopwatch.GetTimestamp();
            var verified = VerifyResponse(trust, provider!, head, outbound.HeadBytes, response);
            if (verified.Failure is not null)
            {
                return verified.Failure;
            }

            _responder.Stage("verify", stage);
            var responseHead = verified.Head!;
            if (await _steps.LogAnswerAsync(outbound, response, responseHead.Status, context.RequestAborted).ConfigureAwait(false) is { } notLogged)
            {
                return notLogged;
            }

            await WriteResponseAsync(context, head, responseHead, response.Body!).ConfigureAwait(false);
            return null;
        }
    }

    private (RestResponseHead? Head, ExchangeFailure? Failure) VerifyResponse(TrustContext trust, SecurityServerInfo provider, RestRequestHead head, byte[] headBytes, PeerResponse response)
    {
        var decoded = HeadCodec.DecodeResponse(response.Prefix!.Head);
        if (!decoded.Success)
        {
            return (null, ExchangeFailure.ClientProxy(ErrorCatalog.InvalidResponse, $"The response head is malformed: {decoded.Message}"));
        }

        var responseHead = decoded.Value!;
        if (responseHead.RequestId != head.RequestId || responseHead.MessageId != head.MessageId
            || responseHead.Client != head.Client || responseHead.Service != head.Service)
        {
            return (null, ExchangeFailure.ClientProxy(ErrorCatalog.InconsistentResponse, "The response answers another request."));
        }

        var expectedHash = RequestHash.Compute(headBytes, head.BodyDigest.Span, head.BodyLength);
        if (!string.Equals(responseHead.RequestHash, expectedHash, StringComparison.Ordinal))
        {
            return (null, ExchangeFailure.ClientProxy(ErrorCatalog.InconsistentResponse, "The request hash in the response does not match the request that was sent."));
        }

        if (ClientExchangeSteps.CheckReceipt(responseHead.LogReceipt, provider) is { } badReceipt)
        {
            return (null, badReceipt);
        }

        var checkedAnswer = _steps.CheckAnswer(trust, provider, head.Service, response, responseHead.BodyDigest.Span);
        return checkedAnswer is null ? (responseHead, null) : (null, checkedAnswer);
    }

    private static async Task WriteResponseAsync(HttpContext context, RestRequestHead head, RestResponseHead responseHead, BodyBuffer body)
    {
        var response = context.Response;
        response.StatusCode = responseHead.Status;
        foreach (var header in responseHead.Headers)
        {
            response.Headers.Append(header.Name, header.Value);
        }

        response.Headers["X-Road-Client"] = head.Client.ToString();
        response.Headers["X-Road-Service"] = head.Service.ToString();
        response.Headers["X-Road-Id"] = head.MessageId;
        response.Headers["X-Road-Request-Id"] = head.RequestId.ToString("D");
        response.Headers["X-Road-Request-Hash"] = responseHead.RequestHash;
        if (responseHead.LogReceipt is { } receipt)
        {
            response.Headers[LogReceipt.ResponseHeader] = receipt.ToHeaderValue();
        }
        var bodyAllowed = responseHead.Status is not (204 or 304) && !HttpMethods.IsHead(context.Request.Method);
        if (bodyAllowed)
        {
            response.ContentLength = body.Length;
            await response.Body.WriteAsync(body.Memory, context.RequestAborted).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Passes the provider's security server's refusal to the IS. A parsable X-Road error is re-rendered in
    /// the form this IS asked for (REST error or SOAP fault); anything else goes as it came.
    /// </summary>
    internal static async Task PassErrorAsync(HttpContext context, PeerResponse error)
    {
        if (PeerError.TryParse(error.ErrorBody!, out var parsed))
        {
            await ExchangeResponder.WriteErrorAsync(context, parsed).ConfigureAwait(false);
            return;
        }

        context.Response.StatusCode = error.ErrorStatus;
        context.Response.Headers[ErrorRenderer.XRoadErrorHeaderName] = error.ErrorCode;
        if (error.ErrorContentType is not null)
        {
            context.Response.ContentType = error.ErrorContentType;
        }

        context.Response.ContentLength = error.ErrorBody!.Length;
        await context.Response.Body.WriteAsync(error.ErrorBody, context.RequestAborted).ConfigureAwait(false);
    }

    private ExchangeFailure TooLarge() =>
        ExchangeFailure.Client(ErrorCatalog.RequestTooLarge, $"The request body exceeds {_maxBodyBytes} bytes.");

    private ClientRequest ParseRequest(HttpContext context)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? string.Empty;
        if (!raw.StartsWith(R1Prefix, StringComparison.Ordinal))
        {
            return ClientRequest.Fail(ExchangeFailure.Client(ErrorCatalog.InvalidRequest, "Only X-Road REST calls (/r1/...) and SOAP requests (POST) are served on this port."));
        }

        var path = RestServicePath.TryParse(raw[R1Prefix.Length..]);
        if (!path.Success)
        {
            return ClientRequest.Fail(ExchangeFailure.Client(ErrorCatalog.InvalidIdentifier, $"The service identifier is invalid: {path.Message}"));
        }

        if (RequestPathRules.Check(path.Value!.Path) is { } badPath)
        {
            return ClientRequest.Fail(ExchangeFailure.Client(ErrorCatalog.BadRequest, $"The service path is not acceptable: {badPath}"));
        }

        var headers = context.Request.Headers;
        var clientText = Single(headers, "X-Road-Client", required: true, out var headerFailure);
        if (headerFailure is not null)
        {
            return ClientRequest.Fail(headerFailure);
        }

        var client = ClientId.TryParse(clientText);
        if (!client.Success)
        {
            return ClientRequest.Fail(ExchangeFailure.Client(ErrorCatalog.InvalidIdentifier, $"X-Road-Client is invalid: {client.Message}"));
        }

        var local = _local.Current;
        var localClient = local?.FindClient(client.Value!);
        if (local is null || localClient is null || !client.Value!.IsSubsystem)
        {
            return ClientRequest.Fail(ExchangeFailure.Client(ErrorCatalog.InvalidClientIdentifier, $"{client.Value} is not a client subsystem of this security server."));
        }

        var isAuth = IsAuthorization.Check(localClient, context.Request.IsHttps, context.Connection.ClientCertificate);
        if (!isAuth.IsAllowed)
        {
            return ClientRequest.Fail(new ExchangeFailure(IsAuthorizationResult.ErrorCode, isAuth.Message ?? "The information system may not act for this client."));
        }

        var messageId = Single(headers, "X-Road-Id", required: false, out headerFailure);
        var userId = headerFailure is null ? Single(headers, "X-Road-UserId", required: false, out headerFailure) : null;
        var issue = headerFailure is null ? Single(headers, "X-Road-Issue", required: false, out headerFailure) : null;
        var represented = headerFailure is null ? Single(headers, "X-Road-Represented-Party", required: false, out headerFailure) : null;
        var pinnedText = headerFailure is null ? Single(headers, "X-Road-Security-Server", required: false, out headerFailure) : null;
        if (headerFailure is not null)
        {
            return ClientRequest.Fail(headerFailure);
        }

        if (messageId is not null && (messageId.Length is 0 or > HeadCodec.MaxMessageIdLength))
        {
            return ClientRequest.Fail(ExchangeFailure.Client(ErrorCatalog.InvalidRequest, $"X-Road-Id must be 1 to {HeadCodec.MaxMessageIdLength} characters."));
        }

        SecurityServerId? pinned = null;
        if (pinnedText is not null)
        {
            var parsed = SecurityServerId.TryParse(pinnedText);
            if (!parsed.Success)
            {
                return ClientRequest.Fail(ExchangeFailure.Client(ErrorCatalog.InvalidIdentifier, $"X-Road-Security-Server is invalid: {parsed.Message}"));
            }

            pinned = parsed.Value;
        }

        var forwarded = new List<MessageHeader>();
        var tokens = HeaderPolicy.ConnectionTokens(headers.Connection);
        foreach (var (name, values) in headers)
        {
            if (!HeaderPolicy.IsForwarded(name, tokens))
            {
                continue;
            }

            foreach (var value in values)
            {
                if (value is null || !HeaderPolicy.IsSafeValue(value) || !HeaderPolicy.IsToken(name))
                {
                    return ClientRequest.Fail(ExchangeFailure.Client(ErrorCatalog.InvalidRequest, $"The header {name} holds control characters."));
                }

                if (forwarded.Count == HeaderPolicy.MaxHeaders)
                {
                    return ClientRequest.Fail(ExchangeFailure.Client(ErrorCatalog.InvalidRequest, $"At most {HeaderPolicy.MaxHeaders} headers are passed to a provider."));
                }

                forwarded.Add(new MessageHeader(name.ToLowerInvariant(), value));
            }
        }

        return new ClientRequest
        {
            Service = path.Value.Service,
            Target = path.Value.Path + path.Value.Query,
            Client = client.Value,
            Local = local,
            MessageId = messageId ?? Guid.NewGuid().ToString("D"),
            UserId = userId,
            Issue = issue,
            RepresentedParty = represented,
            Pinned = pinned,
            Headers = forwarded,
        };
    }

    private static string? Single(IHeaderDictionary headers, string name, bool required, out ExchangeFailure? failure)
    {
        failure = null;
        var values = headers[name];
        if (values.Count == 0)
        {
            if (required)
            {
                failure = ExchangeFailure.Client(ErrorCatalog.MissingHeaderField, $"The header {name} is required.");
            }

            return null;
        }

        if (values.Count > 1)
        {
            failure = ExchangeFailure.Client(ErrorCatalog.DuplicateHeaderField, $"The header {name} appears more than once.");
            return null;
        }

        var value = values[0]!;
        if (!HeaderPolicy.IsSafeValue(value))
        {
            failure = ExchangeFailure.Client(ErrorCatalog.InvalidRequest, $"The header {name} holds control characters.");
            return null;
        }

        return value;
    }

    private sealed record ClientRequest
    {
        public ExchangeFailure? Failure { get; init; }

        public ServiceId? Service { get; init; }

        public string? Target { get; init; }

        public ClientId? Client { get; init; }

        public LocalConfiguration? Local { get; init; }

        public string? MessageId { get; init; }

        public string? UserId { get; init; }

        public string? Issue { get; init; }

        public string? RepresentedParty { get; init; }

        public SecurityServerId? Pinned { get; init; }

        public List<MessageHeader>? Headers { get; init; }

        public static ClientRequest Fail(ExchangeFailure failure) => new() { Failure = failure };
    }
}
