using ExchangeGateway.Common.Errors;
using ExchangeGateway.Common.Results;
using ExchangeGateway.Common.Soap;
using ExchangeGateway.Common.Xml;

namespace ExchangeGateway.Common.Mime;

/// <summary>
/// Reads a SOAP message body by its <c>Content-Type</c>: <c>text/xml</c> is plain SOAP;
/// <c>multipart/related</c> is SOAP with attachments (root part <c>text/xml</c>) or MTOM (root part
/// <c>application/xop+xml; type="text/xml"</c>). The SOAP part is then read by
/// <see cref="SoapEnvelopeReader"/>, whose failures pass through. Parts are located, never copied, and
/// attachments are neither decoded nor inspected.
/// </summary>
/// <remarks>
/// <para><c>client.invalid_content_type</c>: no Content-Type, one that does not parse, any other media
/// type (SOAP 1.2's <c>application/soap+xml</c> included), a multipart <c>type</c> parameter other than
/// <c>text/xml</c> or <c>application/xop+xml</c>, or a <c>charset</c> other than UTF-8 on the message or
/// on its SOAP part. (An XML declaration naming another encoding is <c>client.invalid_xml</c>, from the
/// envelope reader.)</para>
/// <para><c>client.mime_parsing_failed</c>: no or an invalid boundary; no delimiter; no parts; no close
/// delimiter ("truncated"); more than 1,000 parts, 32 header fields or 8 KiB of headers in a part; a
/// malformed header block; a bare LF where a CRLF is required (see <see cref="MultipartReader"/>); a
/// <c>start</c> parameter naming no part; a root part that is not SOAP ("attachment without SOAP") or
/// does not match the <c>type</c> parameter; a root part with a content transfer encoding other than
/// 7bit, 8bit or binary; two parts with one Content-ID; an <c>xop:Include</c> whose href does not name
/// an attachment's Content-ID (any <c>xop:Include</c> in plain SOAP).</para>
/// </remarks>
public static class SoapMessageReader
{
    private static readonly string InvalidContentType = ErrorCode.Client(ErrorCatalog.InvalidContentType).Value;
    private static readonly string MimeParsingFailed = ErrorCode.Client(ErrorCatalog.MimeParsingFailed).Value;

    /// <summary>Reads a request (see <see cref="SoapEnvelopeReader.ReadRequest"/>).</summary>
    public static ParseResult<SoapMessage> ReadRequest(ReadOnlyMemory<byte> body, string? contentType, XmlLimits limits) =>
        Read(body, contentType, limits, request: true);

    /// <summary>Reads a response (see <see cref="SoapEnvelopeReader.ReadResponse"/>).</summary>
    public static ParseResult<SoapMessage> ReadResponse(ReadOnlyMemory<byte> body, string? contentType, XmlLimits limits) =>
        Read(body, contentType, limits, request: false);

    private static ParseResult<SoapMessage> Read(ReadOnlyMemory<byte> body, string? contentType, XmlLimits limits, bool request)
    {
        ArgumentNullException.ThrowIfNull(limits);
        if (string.IsNullOrWhiteSpace(contentType))
        {
            return Fail(InvalidContentType, "The SOAP message has no Content-Type; expected text/xml or multipart/related.");
        }

        var media = MediaType.TryParse(contentType, out var problem);
        if (media is null)
        {
            return Fail(InvalidContentType, $"The Content-Type is not a media type: {problem}.");
        }

        switch (media.Essence)
        {
            case "text/xml":
                return ReadPlain(body, contentType, media, limits, request);
            case "multipart/related":
                return ReadMultipart(body, contentType, media, limits, request);
            case "application/soap+xml":
                return Fail(InvalidContentType, "The Content-Type is application/soap+xml (SOAP 1.2); X-Road 4.0 uses SOAP 1.1 with text/xml.");
            default:
                return Fail(InvalidContentType, "The Content-Type must be text/xml (SOAP) or multipart/related (SOAP with attachments or MTOM).");
        }
    }

    private static ParseResult<SoapMessage> ReadPlain(ReadOnlyMemory<byte> body, string contentType, MediaType media, XmlLimits limits, bool request)
    {
        var charset = CheckCharset(media, "the Content-Type");
        if (charset is not null)
        {
            return charset.Value;
        }

        var envelope = ReadEnvelope(body, limits, request);
        if (!envelope.Success)
        {
            return Fail(envelope.ErrorCode, envelope.Message);
        }

        if (envelope.Value.XopIncludes.Count > 0)
        {
            return Fail(MimeParsingFailed, "The SOAP message refers to an attachment (xop:Include) but has none: it is not multipart/related.");
        }

        return ParseResult<SoapMessage>.Ok(new SoapMessage
        {
            Body = body,
            ContentType = contentType,
            SoapRange = Range.All,
            Envelope = envelope.Value,
        });
    }

    private static ParseResult<SoapMessage> ReadMultipart(ReadOnlyMemory<byte> body, string contentType, MediaType media, XmlLimits limits, bool request)
    {
        var charset = CheckCharset(media, "the Content-Type");
        if (charset is not null)
        {
            return charset.Value;
        }

        var boundary = media.Parameter("boundary");
        if (boundary is null)
        {
            return Fail(MimeParsingFailed, "The Content-Type is multipart without a boundary parameter.");
        }

        if (!MultipartReader.IsValidBoundary(boundary))
        {
            return Fail(MimeParsingFailed, "The multipart boundary is not 1 to 70 RFC 2046 boundary characters.");
        }

        bool? mtom = media.Parameter("type")?.ToLowerInvariant() switch
        {
            null => null,
            "text/xml" => false,
            "application/xop+xml" => true,
            _ => default(bool?),
        };
        if (mtom is null && media.Parameter("type") is not null)
        {
            return Fail(InvalidContentType, "The multipart type parameter must be text/xml (SOAP with attachments) or application/xop+xml (MTOM).");
        }

        var raw = MultipartReader.Split(body.Span, boundary, out var problem);
        if (raw is null)
        {
            return Fail(MimeParsingFailed, problem!);
        }

        var parts = new MimePart[raw.Count];
        HashSet<string>? ids = null;
        for (var i = 0; i < raw.Count; i++)
        {
            var part = ToPart(raw[i]);
            if (part.ContentId is not null && !(ids ??= new HashSet<string>(StringComparer.Ordinal)).Add(part.ContentId))
            {
                return Fail(MimeParsingFailed, $"Part {i + 1} has the same Content-ID as an earlier part.");
            }

            parts[i] = part;
        }

        var rootIndex = 0;
        var start = media.Parameter("start");
        if (start is not null)
        {
            var startId = StripAngles(start.Trim());
            rootIndex = Array.FindIndex(parts, p => p.ContentId == startId);
            if (rootIndex < 0)
            {
                return Fail(MimeParsingFailed, "The multipart start parameter names no part's Content-ID.");
            }
        }

        var root = parts[rootIndex];
        var rootMedia = MediaType.TryParse(root.ContentType, out _);
        var rootIsMtom = rootMedia?.Essence == "application/xop+xml";
        if (rootMedia is null || !(rootIsMtom || rootMedia.Essence == "text/xml"))
        {
            return Fail(MimeParsingFailed, "The multipart body is an attachment without SOAP: its root part is not text/xml or application/xop+xml.");
        }

        if (mtom is not null && mtom != rootIsMtom)
        {
            return Fail(MimeParsingFailed, "The multipart type parameter does not match the root part's Content-Type.");
        }

        if (rootIsMtom && !string.Equals(rootMedia.Parameter("type"), "text/xml", StringComparison.OrdinalIgnoreCase))
        {
            return Fail(MimeParsingFailed, "The MTOM root part must be application/xop+xml with type=\"text/xml\" (SOAP 1.1).");
        }

        charset = CheckCharset(rootMedia, "the SOAP part's Content-Type");
        if (charset is not null)
        {
            return charset.Value;
        }

        var encoding = root.Header("Content-Transfer-Encoding");
        if (encoding is not null && !(encoding.Equals("binary", StringComparison.OrdinalIgnoreCase) ||
                                      encoding.Equals("8bit", StringComparison.OrdinalIgnoreCase) ||
                                      encoding.Equals("7bit", StringComparison.OrdinalIgnoreCase)))
        {
            return Fail(MimeParsingFailed, "The SOAP part has a Content-Transfer-Encoding other than 7bit, 8bit or binary.");
        }

        var envelope = ReadEnvelope(body[root.Range], limits, request);
        if (!envelope.Success)
        {
            return Fail(envelope.ErrorCode, envelope.Message);
        }

        var attachments = new MimePart[parts.Length - 1];
        for (int i = 0, a = 0; i < parts.Length; i++)
        {
            if (i != rootIndex)
            {
                attachments[a++] = parts[i];
            }
        }

        if (envelope.Value.XopIncludes.Count > 0)
        {
            var attachmentIds = new HashSet<string>(StringComparer.Ordinal);
            foreach (var a in attachments)
            {
                if (a.ContentId is not null)
                {
                    attachmentIds.Add(a.ContentId);
                }
            }

            foreach (var href in envelope.Value.XopIncludes)
            {
                if (!Resolves(href, attachmentIds))
                {
                    return Fail(MimeParsingFailed, "An xop:Include href does not name an attachment's Content-ID (cid:…).");
                }
            }
        }

        return ParseResult<SoapMessage>.Ok(new SoapMessage
        {
            Body = body,
            ContentType = contentType,
            IsMultipart = true,
            IsMtom = rootIsMtom,
            SoapRange = root.Range,
            Envelope = envelope.Value,
            SoapPart = root,
            Attachments = attachments,
        });
    }

    private static ParseResult<SoapEnvelope> ReadEnvelope(ReadOnlyMemory<byte> soap, XmlLimits limits, bool request) =>
        request ? SoapEnvelopeReader.ReadRequest(soap, limits) : SoapEnvelopeReader.ReadResponse(soap, limits);

    private static MimePart ToPart(MultipartReader.RawPart raw)
    {
        string? contentType = null;
        string? contentId = null;
        foreach (var (name, value) in raw.Headers)
        {
            if (contentType is null && name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                contentType = value;
            }
            else if (contentId is null && name.Equals("Content-ID", StringComparison.OrdinalIgnoreCase))
            {
                contentId = StripAngles(value);
            }
        }

        return new MimePart(raw.Headers, contentType ?? "text/plain", contentId, raw.Body);
    }

    private static string StripAngles(string id) =>
        id.Length >= 2 && id[0] == '<' && id[^1] == '>' ? id[1..^1] : id;

    // RFC 2392: "cid:" then the Content-ID without angle brackets, percent-encoded.
    private static bool Resolves(string href, HashSet<string> attachmentIds) =>
        href.StartsWith("cid:", StringComparison.OrdinalIgnoreCase) && attachmentIds.Contains(Uri.UnescapeDataString(href[4..]));

    private static ParseResult<SoapMessage>? CheckCharset(MediaType media, string where)
    {
        var charset = media.Parameter("charset");
        return charset is null || charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase)
            ? null
            : Fail(InvalidContentType, $"The charset in {where} is not UTF-8; X-Road SOAP messages are UTF-8.");
    }

    private static ParseResult<SoapMessage> Fail(string code, string message) => ParseResult<SoapMessage>.Fail(code, message);
}
