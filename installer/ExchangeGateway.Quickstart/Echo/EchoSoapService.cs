using System.Buffers;
using System.Text;
using System.Xml;
using ExchangeGateway.Common.Xml;
using Microsoft.AspNetCore.Http;

namespace ExchangeGateway.Quickstart.Echo;

/// <summary>
/// The echo provider's SOAP side, an X-Road message protocol 4.0 provider information system:
/// <list type="bullet">
/// <item><c>POST /soap</c> (<c>text/xml</c>): operations <c>helloService</c> (<c>name</c> → a greeting in <c>message</c>)
/// and <c>echoData</c> (<c>data</c> back unchanged). The response echoes the request's X-Road header fields
/// (<c>xrd:*</c> and <c>repr:*</c>) exactly, in their order, as X-Road providers must. The request is read with
/// <see cref="SafeXml"/> only; anything wrong is a SOAP 1.1 fault with HTTP 500 (SOAP 1.1 §6.2).</item>
/// <item><c>GET /soap?wsdl</c>: the document/literal-wrapped WSDL 1.1 description of both operations
/// (<see cref="EchoWsdl"/>), its <c>soap:address</c> the <c>/soap</c> URL the request reached.</item>
/// </list>
/// </summary>
internal static class EchoSoapService
{
    /// <summary>The path both the endpoint and the description live on.</summary>
    public const string Path = "/soap";

    /// <summary>The target namespace of the operations' wrapper elements.</summary>
    public const string Namespace = "http://quickstart.exchangegateway.dev/echo";

    /// <summary>The service version the description declares for both operations (<c>xrd:version</c>).</summary>
    public const string ServiceVersion = "v1";

    /// <summary>Operation: a greeting for <c>name</c>.</summary>
    public const string HelloService = "helloService";

    /// <summary>Operation: <c>data</c> back unchanged (the bench's SOAP payload).</summary>
    public const string EchoData = "echoData";

    public const string SoapEnvelopeNamespace = "http://schemas.xmlsoap.org/soap/envelope/";
    public const string XRoadNamespace = "http://x-road.eu/xsd/xroad.xsd";
    public const string IdentifiersNamespace = "http://x-road.eu/xsd/identifiers";
    public const string RepresentationNamespace = "http://x-road.eu/xsd/representation.xsd";

    /// <summary>Bigger requests are refused before they are read (the bench sends 1 MiB).</summary>
    private const int MaxRequestBytes = 32 * 1024 * 1024;

    private static readonly XmlWriterSettings WriterSettings = new()
    {
        Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
        Indent = false,
        CloseOutput = false,
    };

    /// <summary>The greeting <c>helloService</c> answers for <paramref name="name"/>.</summary>
    public static string Greeting(string name) => $"Hello {name}! Greetings from the ExchangeGateway quickstart provider.";

    public static async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var response = context.Response;
        if (HttpMethods.IsGet(request.Method) && request.Query.ContainsKey("wsdl"))
        {
            var address = $"{request.Scheme}://{request.Host}{request.PathBase}{Path}";
            var wsdl = EchoWsdl.Write(address);
            response.ContentType = "text/xml; charset=utf-8";
            response.ContentLength = wsdl.Length;
            await response.Body.WriteAsync(wsdl, context.RequestAborted).ConfigureAwait(false);
            return;
        }

        if (!HttpMethods.IsPost(request.Method))
        {
            response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            response.Headers.Allow = "GET, POST";
            return;
        }

        (byte[] Soap, bool IsFault) answer;
        var mediaType = request.ContentType?.Split(';', 2)[0].Trim();
        if (!string.Equals(mediaType, "text/xml", StringComparison.OrdinalIgnoreCase))
        {
            answer = Fault("Client", $"Content-Type must be text/xml (SOAP 1.1), not '{request.ContentType}'.");
        }
        else if (request.ContentLength > MaxRequestBytes)
        {
            answer = Fault("Client", $"The request is larger than {MaxRequestBytes} bytes.");
        }
        else
        {
            var (body, length) = await ReadBodyAsync(request.Body, context.RequestAborted).ConfigureAwait(false);
            try
            {
                answer = length < 0
                    ? Fault("Client", $"The request is larger than {MaxRequestBytes} bytes.")
                    : Answer(body.AsMemory(0, length));
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(body);
            }
        }

        response.StatusCode = answer.IsFault ? StatusCodes.Status500InternalServerError : StatusCodes.Status200OK;
        response.ContentType = "text/xml; charset=utf-8";
        response.ContentLength = answer.Soap.Length;
        await response.Body.WriteAsync(answer.Soap, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>The response to one SOAP request, or a fault; never throws for bad input.</summary>
    public static (byte[] Soap, bool IsFault) Answer(ReadOnlyMemory<byte> soap)
    {
        try
        {
            using var reader = SafeXml.CreateReader(soap, XmlLimits.Default);
            return (Respond(reader), false);
        }
        catch (XmlException ex)
        {
            return Fault("Client", SafeXml.Describe(ex));
        }
        catch (InvalidDataException ex)
        {
            // Thrown only by Expect below: the request is well-formed XML but not a request this provider serves.
            return Fault("Client", ex.Message);
        }
    }

    /// <summary>A SOAP 1.1 fault envelope.</summary>
    public static (byte[] Soap, bool IsFault) Fault(string code, string message)
    {
        using var output = new MemoryStream();
        using (var writer = XmlWriter.Create(output, WriterSettings))
        {
            writer.WriteStartDocument();
            writer.WriteStartElement("soapenv", "Envelope", SoapEnvelopeNamespace);
            writer.WriteStartElement("soapenv", "Body", SoapEnvelopeNamespace);
            writer.WriteStartElement("soapenv", "Fault", SoapEnvelopeNamespace);
            writer.WriteElementString("faultcode", "soapenv:" + code);
            writer.WriteElementString("faultstring", message);
            writer.WriteEndElement();
            writer.WriteEndElement();
            writer.WriteEndElement();
        }

        return (output.ToArray(), true);
    }

    /// <summary>
    /// Streams through the request once, writing the response as it goes: the header fields are copied
    /// node by node into the response header, then the body's wrapper element picks the operation.
    /// </summary>
    private static byte[] Respond(XmlReader reader)
    {
        reader.MoveToContent();
        Expect(reader.NodeType == XmlNodeType.Element && reader.LocalName == "Envelope" && reader.NamespaceURI == SoapEnvelopeNamespace,
            $"The document element is {reader.Name}, not a SOAP 1.1 Envelope.");
        if (reader.IsEmptyElement)
        {
            throw new InvalidDataException("The Envelope is empty.");
        }

        using var output = new MemoryStream();
        using (var writer = XmlWriter.Create(output, WriterSettings))
        {
            writer.WriteStartDocument();
            writer.WriteStartElement("soapenv", "Envelope", SoapEnvelopeNamespace);
            writer.WriteAttributeString("xmlns", "xrd", null, XRoadNamespace);
            writer.WriteAttributeString("xmlns", "id", null, IdentifiersNamespace);
            writer.WriteAttributeString("xmlns", "tns", null, Namespace);

            reader.Read();
            MoveToElement(reader, "a Header");
            Expect(reader.LocalName == "Header" && reader.NamespaceURI == SoapEnvelopeNamespace, $"Expected the SOAP Header, found {reader.Name}.");
            var fields = CopyHeader(reader, writer);
            Expect(fields.Contains("client") && fields.Contains("service") && fields.Contains("id") && fields.Contains("protocolVersion"),
                "The header lacks one of the X-Road fields client, service, id and protocolVersion.");

            MoveToElement(reader, "the Body");
            Expect(reader.LocalName == "Body" && reader.NamespaceURI == SoapEnvelopeNamespace && !reader.IsEmptyElement, $"Expected a non-empty SOAP Body, found {reader.Name}.");
            reader.Read();
            MoveToElement(reader, "the operation's wrapper element");
            Expect(reader.NamespaceURI == Namespace, $"The body element {{{reader.NamespaceURI}}}{reader.LocalName} is not in the service's namespace {Namespace}.");
            writer.WriteStartElement("soapenv", "Body", SoapEnvelopeNamespace);
            switch (reader.LocalName)
            {
                case HelloService:
                    var name = ReadSingleChild(reader, "name");
                    Expect(name.Length > 0, "helloService needs a non-empty name.");
                    writer.WriteStartElement("tns", HelloService + "Response", Namespace);
                    writer.WriteElementString("tns", "message", Namespace, Greeting(name));
                    writer.WriteEndElement();
                    break;
                case EchoData:
                    var data = ReadSingleChild(reader, "data");
                    writer.WriteStartElement("tns", EchoData + "Response", Namespace);
                    writer.WriteElementString("tns", "data", Namespace, data);
                    writer.WriteEndElement();
                    break;
                default:
                    throw new InvalidDataException($"Unknown operation {reader.LocalName}; this provider offers {HelloService} and {EchoData}.");
            }

            writer.WriteEndElement();
            writer.WriteEndElement();
            writer.WriteEndDocument();

            // The rest of the request must still be well-formed; reading it costs nothing next to parsing what came before.
            while (reader.Read())
            {
            }
        }

        return output.ToArray();
    }

    /// <summary>Copies the X-Road header fields (xrd and repr namespaces) in order; returns their local names. Leaves the reader after the Header.</summary>
    private static HashSet<string> CopyHeader(XmlReader reader, XmlWriter writer)
    {
        var fields = new HashSet<string>(StringComparer.Ordinal);
        writer.WriteStartElement("soapenv", "Header", SoapEnvelopeNamespace);
        if (reader.IsEmptyElement)
        {
            reader.Read();
            writer.WriteEndElement();
            return fields;
        }

        var depth = reader.Depth;
        reader.Read();
        while (!(reader.NodeType == XmlNodeType.EndElement && reader.Depth == depth))
        {
            if (reader.NodeType != XmlNodeType.Element)
            {
                Expect(reader.NodeType is XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace, "Text directly inside the SOAP Header.");
                reader.Read();
                continue;
            }

            if (reader.NamespaceURI is XRoadNamespace or RepresentationNamespace)
            {
                Expect(fields.Add(reader.LocalName), $"The header field {reader.Name} appears twice.");

                // WriteNode moves the reader past the element and declares any prefix the copy needs.
                writer.WriteNode(reader, defattr: true);
            }
            else
            {
                reader.Skip();
            }
        }

        reader.Read();
        writer.WriteEndElement();
        return fields;
    }

    /// <summary>The text of the wrapper's one child element <paramref name="localName"/> (in the service namespace).</summary>
    private static string ReadSingleChild(XmlReader reader, string localName)
    {
        var operation = reader.LocalName;
        Expect(!reader.IsEmptyElement, $"{operation} needs a {localName} element.");
        reader.Read();
        MoveToElement(reader, $"{operation}'s {localName}");
        Expect(reader.LocalName == localName && reader.NamespaceURI == Namespace, $"{operation} expects {{{Namespace}}}{localName}, found {{{reader.NamespaceURI}}}{reader.LocalName}.");
        return reader.ReadElementContentAsString();
    }

    /// <summary>Skips whitespace to the next start tag; fails on text or an end tag.</summary>
    private static void MoveToElement(XmlReader reader, string what)
    {
        while (reader.NodeType is XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace)
        {
            reader.Read();
        }

        Expect(reader.NodeType == XmlNodeType.Element, $"Expected {what}, found {reader.NodeType} {reader.Name}.");
    }

    private static void Expect(bool condition, string message)
    {
        if (!condition)
        {
            throw new InvalidDataException(message);
        }
    }

    /// <summary>Reads the body into a pooled buffer; length -1 when it is over the cap.</summary>
    private static async Task<(byte[] Buffer, int Length)> ReadBodyAsync(Stream body, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        var length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                if (buffer.Length >= MaxRequestBytes)
                {
                    return (buffer, -1);
                }

                var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, MaxRequestBytes));
                buffer.AsSpan(0, length).CopyTo(bigger);
                ArrayPool<byte>.Shared.Return(buffer);
                buffer = bigger;
            }

            var read = await body.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return (buffer, length);
            }

            length += read;
        }
    }
}
