using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Xml;

namespace ExchangeGateway.Common.Errors;

/// <summary>
/// Renders an <see cref="ExchangeError"/> as the bytes X-Road clients expect: the REST JSON or XML
/// error body, or a SOAP 1.1 fault. The only place error responses are shaped, so escaping is decided
/// once. Has no HTTP-stack dependency: the caller copies status, headers and body to its response.
/// </summary>
public static class ErrorRenderer
{
    /// <summary>The response header that carries the error code.</summary>
    public const string XRoadErrorHeaderName = "X-Road-Error";

    /// <summary>
    /// Messages are cut to this many characters: they may quote upstream text, and an error response
    /// must stay small whatever caused it.
    /// </summary>
    public const int MaxMessageLength = 4096;

    /// <summary>The SOAP 1.1 envelope namespace.</summary>
    public const string SoapEnvelopeNamespace = "http://schemas.xmlsoap.org/soap/envelope/";

    private const string JsonContentType = "application/json";
    private const string ApplicationXmlContentType = "application/xml; charset=utf-8";
    private const string TextXmlContentType = "text/xml; charset=utf-8";

    // Server preference order for ties: JSON is X-Road's default error format.
    private static readonly string[] OfferedRestTypes = ["application/json", "application/xml", "text/xml"];

    private static readonly XmlWriterSettings XmlSettings = new()
    {
        Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
        Indent = false,
        NewLineHandling = NewLineHandling.Entitize,
        CheckCharacters = true,
        CloseOutput = false,
    };

    /// <summary>
    /// Picks the REST error format from an Accept header (q-values honoured). XML only when the client
    /// weights <c>application/xml</c> or <c>text/xml</c> strictly above JSON; JSON otherwise, including
    /// when the header is missing, malformed or accepts none of the three.
    /// </summary>
    public static RestErrorFormat NegotiateRestFormat(string? acceptHeader) =>
        AcceptHeader.Select(acceptHeader, OfferedRestTypes) switch
        {
            1 => RestErrorFormat.ApplicationXml,
            2 => RestErrorFormat.TextXml,
            _ => RestErrorFormat.Json,
        };

    /// <summary>Renders a REST error in the format the Accept header prefers.</summary>
    public static RenderedError RenderRest(ExchangeError error, string? acceptHeader) =>
        RenderRest(error, NegotiateRestFormat(acceptHeader));

    /// <summary>
    /// Renders a REST error: <c>{"type","message","detail"}</c> or
    /// <c>&lt;error&gt;&lt;type/&gt;&lt;message/&gt;&lt;detail/&gt;&lt;/error&gt;</c>, status from <see cref="ErrorHttpStatus.ForRest"/>.
    /// </summary>
    public static RenderedError RenderRest(ExchangeError error, RestErrorFormat format)
    {
        ArgumentNullException.ThrowIfNull(error);
        var message = SanitiseMessage(error.Message);
        var detail = FormatDetail(error.Detail);
        var status = ErrorHttpStatus.ForRest(error.Code);
        return format switch
        {
            RestErrorFormat.Json => new RenderedError(status, JsonContentType, error.Code.Value, WriteJson(error.Code.Value, message, detail)),
            RestErrorFormat.ApplicationXml => new RenderedError(status, ApplicationXmlContentType, error.Code.Value, WriteXml(error.Code.Value, message, detail)),
            RestErrorFormat.TextXml => new RenderedError(status, TextXmlContentType, error.Code.Value, WriteXml(error.Code.Value, message, detail)),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown REST error format."),
        };
    }

    /// <summary>
    /// Renders a SOAP 1.1 fault: <c>faultcode</c> is the code, <c>faultstring</c> the message and
    /// <c>detail/faultDetail</c> the detail id, as X-Road does. Sent with <see cref="ErrorHttpStatus.SoapFault"/>.
    /// The <c>X-Road-Error</c> value is filled in for symmetry; SOAP callers may leave the header out.
    /// </summary>
    public static RenderedError RenderSoapFault(ExchangeError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var message = SanitiseMessage(error.Message);
        var detail = FormatDetail(error.Detail);
        using var stream = new MemoryStream();
        using (var writer = XmlWriter.Create(stream, XmlSettings))
        {
            writer.WriteStartDocument();
            writer.WriteStartElement("SOAP-ENV", "Envelope", SoapEnvelopeNamespace);
            writer.WriteStartElement("SOAP-ENV", "Body", SoapEnvelopeNamespace);
            writer.WriteStartElement("SOAP-ENV", "Fault", SoapEnvelopeNamespace);

            // SOAP 1.1 §4.4: the fault's children are unqualified.
            writer.WriteElementString("faultcode", error.Code.Value);
            WriteTextElement(writer, "faultstring", message);
            writer.WriteStartElement("detail");
            writer.WriteElementString("faultDetail", detail);
            writer.WriteEndElement();

            writer.WriteEndElement();
            writer.WriteEndElement();
            writer.WriteEndElement();
            writer.WriteEndDocument();
        }

        return new RenderedError(ErrorHttpStatus.SoapFault, TextXmlContentType, error.Code.Value, stream.ToArray());
    }

    /// <summary>
    /// Makes a message representable in both JSON and XML 1.0: keeps TAB, CR and LF (each format escapes
    /// them), replaces other C0/C1 controls, DEL, lone surrogates and U+FFFE/U+FFFF with U+FFFD, and
    /// cuts to <see cref="MaxMessageLength"/>. Done once here so both formats carry the same text.
    /// </summary>
    internal static string SanitiseMessage(string message)
    {
        var text = message.AsSpan();
        var truncated = false;
        if (text.Length > MaxMessageLength)
        {
            var cut = MaxMessageLength;
            if (char.IsHighSurrogate(text[cut - 1]))
            {
                cut--;
            }

            text = text[..cut];
            truncated = true;
        }

        var sb = new StringBuilder(text.Length + 1);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                sb.Append(c).Append(text[i + 1]);
                i++;
            }
            else if (IsUnsafe(c))
            {
                sb.Append('\uFFFD');
            }
            else
            {
                sb.Append(c);
            }
        }

        if (truncated)
        {
            sb.Append('\u2026');
        }

        return sb.ToString();
    }

    private static bool IsUnsafe(char c) =>
        (c < 0x20 && c is not ('\t' or '\r' or '\n'))
        || c is >= '\u007F' and <= '\u009F'
        || char.IsSurrogate(c)
        || c is '\uFFFE' or '\uFFFF';

    private static string FormatDetail(Guid detail) => detail.ToString("D", CultureInfo.InvariantCulture);

    private static byte[] WriteJson(string type, string message, string detail)
    {
        var buffer = new ArrayBufferWriter<byte>(256 + (message.Length * 2));

        // The default encoder escapes control characters, quotes, <, >, & and all non-ASCII, so the body
        // is safe even if a browser sniffs it as HTML.
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("type", type);
            writer.WriteString("message", message);
            writer.WriteString("detail", detail);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    // TAB, CR and LF go out as character references: CR would otherwise be lost to XML end-of-line
    // normalisation, and with all three escaped an error body never contains a raw control byte, so
    // line-oriented tools (logs, proxies, terminals) see it as one line.
    private static void WriteTextElement(XmlWriter writer, string localName, string text)
    {
        writer.WriteStartElement(localName);
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] is '\t' or '\r' or '\n')
            {
                if (i > start)
                {
                    writer.WriteString(text[start..i]);
                }

                writer.WriteCharEntity(text[i]);
                start = i + 1;
            }
        }

        if (start < text.Length)
        {
            writer.WriteString(text[start..]);
        }

        writer.WriteEndElement();
    }

    private static byte[] WriteXml(string type, string message, string detail)
    {
        using var stream = new MemoryStream();
        using (var writer = XmlWriter.Create(stream, XmlSettings))
        {
            writer.WriteStartDocument();
            writer.WriteStartElement("error");
            writer.WriteElementString("type", type);
            WriteTextElement(writer, "message", message);
            writer.WriteElementString("detail", detail);
            writer.WriteEndElement();
            writer.WriteEndDocument();
        }

        return stream.ToArray();
    }
}
