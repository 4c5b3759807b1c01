using System.Text;
using System.Xml;
using ExchangeGateway.Common.Errors;
using ExchangeGateway.Common.Exchange;
using ExchangeGateway.Common.Identifiers;
using ExchangeGateway.Common.Mime;
using ExchangeGateway.Common.Results;
using ExchangeGateway.Common.Soap;
using ExchangeGateway.Common.Xml;
using ExchangeGateway.Config.Model;
using ExchangeGateway.SecurityServer.Descriptions;
using ExchangeGateway.SecurityServer.Metaservices;
using ExchangeGateway.SecurityServer.Registry;

namespace ExchangeGateway.SecurityServer.Exchange;

/// <summary>
/// The metaservices the provider's security server answers itself, for any subsystem it hosts
/// (XROAD-COMPAT.md): REST <c>listMethods</c>, <c>allowedMethods</c> and <c>getOpenAPI</c>; SOAP
/// <c>listMethods</c>, <c>allowedMethods</c> and <c>getWsdl</c> (the WSDL as an attachment). The answers
/// are signed and logged like a provider's; nothing is forwarded. <c>listMethods</c> is open to every
/// authenticated caller; <c>allowedMethods</c> lists what the caller may call, and the documents are
/// given only to callers who may call the service they describe.
/// </summary>
public sealed class ServerMetaservices
{
    /// <summary>Lists a provider's services.</summary>
    public const string ListMethods = "listMethods";

    /// <summary>Lists the services the caller may call.</summary>
    public const string AllowedMethods = "allowedMethods";

    /// <summary>A REST service's OpenAPI document.</summary>
    public const string GetOpenApi = "getOpenAPI";

    /// <summary>A SOAP service's WSDL.</summary>
    public const string GetWsdl = "getWsdl";

    private const string SoapPartId = "soap@xgw";
    private const string WsdlPartId = "wsdl@xgw";
    private readonly DescriptionDocuments _documents;
    private readonly XmlLimits _limits = XmlLimits.Default;

    /// <summary>Creates the responder.</summary>
    public ServerMetaservices(DescriptionDocuments documents)
    {
        _documents = documents;
    }

    /// <summary>True when <paramref name="service"/> names a REST metaservice.</summary>
    public static bool IsRest(ServiceId service)
    {
        ArgumentNullException.ThrowIfNull(service);
        return service.ServiceVersion is null && service.ServiceCode is ListMethods or AllowedMethods or GetOpenApi;
    }

    /// <summary>True when <paramref name="service"/> names a SOAP metaservice.</summary>
    public static bool IsSoap(ServiceId service)
    {
        ArgumentNullException.ThrowIfNull(service);
        return service.ServiceCode is ListMethods or AllowedMethods or GetWsdl;
    }

    /// <summary>Answers a REST metaservice call (GET only) as if a provider had.</summary>
    public (ProviderResponse? Response, ExchangeFailure? Failure) AnswerRest(LocalConfiguration local, GlobalConfiguration global, RestRequestHead head)
    {
        ArgumentNullException.ThrowIfNull(head);
        if (!HttpMethods.IsGet(head.Method))
        {
            return (null, ExchangeFailure.Client(ErrorCatalog.InvalidHttpMethod, $"{head.Service.ServiceCode} is read with GET."));
        }

        var provider = head.Service.Client;
        MetaserviceResult<ServiceDocument> result;
        switch (head.Service.ServiceCode)
        {
            case ListMethods:
                result = Json(RestMetaservices.ListMethods(local, provider));
                break;
            case AllowedMethods:
                result = Json(RestMetaservices.AllowedMethods(local, global, provider, head.Client));
                break;
            default:
                var code = QueryValue(head.Target, "serviceCode");
                if (code is null)
                {
                    return (null, ExchangeFailure.Client(ErrorCatalog.InvalidRequest, "getOpenAPI needs ?serviceCode=…"));
                }

                result = RestMetaservices.GetOpenApi(local, global, _documents, provider, code, head.Client);
                break;
        }

        if (!result.Success)
        {
            return (null, Failure(result.Error!.Value, result.Message!));
        }

        var document = result.Value!;
        return (new ProviderResponse(200, [new("content-type", document.ContentType)], BodyBuffer.FromBytes(document.Content.ToArray())), null);
    }

    /// <summary>
    /// Answers a SOAP metaservice call: a response echoing the request's header with <c>xrd:requestHash</c>,
    /// and for <c>getWsdl</c> a multipart/related answer whose second part is the WSDL.
    /// </summary>
    public (byte[]? Body, string? ContentType, ExchangeFailure? Failure) AnswerSoap(LocalConfiguration local, GlobalConfiguration global, SoapMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var header = request.Envelope.Header!;
        var provider = header.Service!.Client;
        var echo = header with { RequestHash = SoapRequestHash.Compute(request.Soap.Span), RequestHashAlgorithm = SoapRequestHash.AlgorithmId };
        const string TextXml = "text/xml; charset=UTF-8";
        switch (header.Service.ServiceCode)
        {
            case ListMethods:
            case AllowedMethods:
                var body = header.Service.ServiceCode == ListMethods
                    ? SoapMetaservices.ListMethodsBody(local, provider)
                    : SoapMetaservices.AllowedMethodsBody(local, global, provider, header.Client);
                return body.Success
                    ? (SoapMessageWriter.WriteResponse(echo, header.Service.ServiceCode + "Response", SoapNamespaces.XRoad, body.Value!), TextXml, null)
                    : (null, null, Failure(body.Error!.Value, body.Message!));
            default:
                var asked = ReadGetWsdl(request.Soap);
                if (!asked.Success)
                {
                    return (null, null, new ExchangeFailure(ErrorCode.Parse(asked.ErrorCode), asked.Message));
                }

                var (code, version) = asked.Value;
                var wsdl = SoapMetaservices.GetWsdl(local, global, _documents, provider, code, version, header.Client);
                if (!wsdl.Success)
                {
                    return (null, null, Failure(wsdl.Error!.Value, wsdl.Message!));
                }

                var soap = SoapMessageWriter.WriteResponse(echo, "getWsdlResponse", SoapNamespaces.XRoad, w =>
                {
                    w.WriteElementString("serviceCode", SoapNamespaces.XRoad, code);
                    if (version is not null)
                    {
                        w.WriteElementString("serviceVersion", SoapNamespaces.XRoad, version);
                    }
                });
                return Multipart(soap, wsdl.Value!.Content.Span);
        }
    }

    private static (byte[] Body, string ContentType, ExchangeFailure? Failure) Multipart(byte[] soap, ReadOnlySpan<byte> wsdl)
    {
        var boundary = "xgw-" + Guid.NewGuid().ToString("N");
        using var stream = new MemoryStream(soap.Length + wsdl.Length + 512);
        void Ascii(string text) => stream.Write(Encoding.ASCII.GetBytes(text));
        Ascii($"--{boundary}\r\nContent-Type: text/xml; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\nContent-ID: <{SoapPartId}>\r\n\r\n");
        stream.Write(soap);
        Ascii($"\r\n--{boundary}\r\nContent-Type: text/xml; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\nContent-ID: <{WsdlPartId}>\r\n\r\n");
        stream.Write(wsdl);
        Ascii($"\r\n--{boundary}--\r\n");
        return (stream.ToArray(), $"multipart/related; type=\"text/xml\"; boundary=\"{boundary}\"; start=\"<{SoapPartId}>\"", null);
    }

    /// <summary>Reads <c>xrd:serviceCode</c> and the optional <c>xrd:serviceVersion</c> from the getWsdl wrapper.</summary>
    private ParseResult<(string Code, string? Version)> ReadGetWsdl(ReadOnlyMemory<byte> soap) =>
        SafeXml.Read(soap, _limits, reader =>
        {
            string? code = null;
            string? version = null;
            var inWrapper = false;
            while (reader.Read())
            {
                if (reader.NodeType != XmlNodeType.Element)
                {
                    continue;
                }

                if (reader.LocalName == GetWsdl && reader.NamespaceURI == SoapNamespaces.XRoad)
                {
                    inWrapper = true;
                }
                else if (inWrapper && reader.NamespaceURI == SoapNamespaces.XRoad && reader.LocalName is "serviceCode" or "serviceVersion")
                {
                    var isCode = reader.LocalName == "serviceCode";
                    var text = reader.IsEmptyElement ? string.Empty : reader.ReadElementContentAsString();
                    if (isCode)
                    {
                        code = text;
                    }
                    else
                    {
                        version = text.Length == 0 ? null : text;
                    }
                }
            }

            return string.IsNullOrEmpty(code)
                ? ParseResult<(string, string?)>.Fail(ErrorCode.Client(ErrorCatalog.InvalidBody).Value, "getWsdl needs <xrd:serviceCode> inside <xrd:getWsdl>.")
                : ParseResult<(string, string?)>.Ok((code, version));
        });

    private static MetaserviceResult<ServiceDocument> Json(MetaserviceResult<byte[]> result) =>
        result.Success
            ? MetaserviceResult<ServiceDocument>.Ok(new ServiceDocument(result.Value!, RestMetaservices.JsonContentType))
            : MetaserviceResult<ServiceDocument>.Fail(result.Error!.Value, result.Message!);

    private static ExchangeFailure Failure(MetaserviceError error, string message) =>
        new(ErrorCode.ServerProxy(MetaserviceErrors.Entry(error)), message);

    private static string? QueryValue(string target, string name)
    {
        var at = target.IndexOf('?', StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }

        foreach (var pair in target[(at + 1)..].Split('&'))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0 && string.Equals(pair[..eq], name, StringComparison.Ordinal))
            {
                return Uri.UnescapeDataString(pair[(eq + 1)..]);
            }
        }

        return null;
    }
}
