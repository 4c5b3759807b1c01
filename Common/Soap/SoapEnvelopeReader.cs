using System.Text;
using System.Xml;
using ExchangeGateway.Common.Errors;
using ExchangeGateway.Common.Identifiers;
using ExchangeGateway.Common.Results;
using ExchangeGateway.Common.Xml;

namespace ExchangeGateway.Common.Soap;

/// <summary>
/// Reads an X-Road 4.0 SOAP 1.1 envelope strictly, in one streaming pass over <see cref="SafeXml"/>
/// (no DOM): Envelope → Header → Body and nothing else, every X-Road header field at most once, the
/// Body with exactly one element. Bad input is a <see cref="ParseResult{T}"/> failure, never an exception.
/// Codes are from the information system's point of view (<c>client.*</c>); a caller reading a peer's
/// or provider's message maps the suffix into its own family.
/// </summary>
/// <remarks>
/// <para>The bytes must be UTF-8 (optionally with a BOM); a UTF-16/32 BOM, a non-UTF-8 first byte or an
/// XML declaration naming another encoding is <c>client.invalid_xml</c>, as is every XML failure
/// (malformed, DTD, a broken <see cref="XmlLimits"/> cap).</para>
/// <para>Structure: the document element must be a SOAP 1.1 Envelope and contain only a Header and a
/// Body, in that order, each at most once, with no text (<c>client.invalid_soap</c>). No Header is
/// <c>client.missing_header</c> (except for a fault response); no Body is <c>client.missing_body</c>.</para>
/// <para>Header: <c>xrd:client</c>, <c>xrd:service</c>, <c>xrd:id</c> and <c>xrd:protocolVersion</c>
/// are mandatory (<c>client.missing_header_field</c>); <c>xrd:userId</c>, <c>xrd:issue</c>,
/// <c>xrd:securityServer</c> and <c>repr:representedParty</c> are optional, and <c>xrd:requestHash</c>
/// is allowed in responses only. Each appears at most once (<c>client.duplicate_header_field</c>); any
/// other element in the xrd or repr namespace, an X-Road field nested inside another header element,
/// a SOAP element inside the Header, and a foreign header element with <c>mustUnderstand="1"</c> are
/// <c>client.invalid_soap</c>. <c>xrd:protocolVersion</c> must be exactly <c>4.0</c>
/// (<c>client.invalid_protocol_version</c>). Text fields must be non-blank, at most 255 characters and
/// free of control characters (<c>client.invalid_soap</c>). Identifiers are read by
/// <see cref="IdentifierXml"/> (<c>client.invalid_identifier</c>, <c>client.invalid_object_type</c>).
/// The mandatory fields are checked where the Header ends, so a missing field is reported after any
/// field-level error that comes earlier in the document.</para>
/// <para>Body: exactly one element (<c>client.invalid_body</c> for none, several, or text beside it);
/// in a request its local name must equal the service code (<c>client.invalid_body</c>) and a Fault is
/// <c>client.invalid_soap</c>. A response Body may be a Fault, with or without a Header; a Header that is
/// present is held to the same rules as in any response.</para>
/// </remarks>
public static class SoapEnvelopeReader
{
    private const int MaxFieldLength = 255;

    private static readonly string InvalidXml = SafeXml.InvalidXmlCode;
    private static readonly string InvalidSoap = ErrorCode.Client(ErrorCatalog.InvalidSoap).Value;
    private static readonly string MissingHeader = ErrorCode.Client(ErrorCatalog.MissingHeader).Value;
    private static readonly string MissingHeaderField = ErrorCode.Client(ErrorCatalog.MissingHeaderField).Value;
    private static readonly string DuplicateHeaderField = ErrorCode.Client(ErrorCatalog.DuplicateHeaderField).Value;
    private static readonly string MissingBody = ErrorCode.Client(ErrorCatalog.MissingBody).Value;
    private static readonly string InvalidBody = ErrorCode.Client(ErrorCatalog.InvalidBody).Value;
    private static readonly string InvalidProtocolVersion = ErrorCode.Client(ErrorCatalog.InvalidProtocolVersion).Value;

    /// <summary>Reads a request: Header with client, service, id and protocolVersion; the Body's element named after the service code.</summary>
    public static ParseResult<SoapEnvelope> ReadRequest(ReadOnlyMemory<byte> soap, XmlLimits limits) => Read(soap, limits, request: true);

    /// <summary>Reads a response: a Fault (Header optional), or a Header (which may carry <c>xrd:requestHash</c>) and one Body element.</summary>
    public static ParseResult<SoapEnvelope> ReadResponse(ReadOnlyMemory<byte> soap, XmlLimits limits) => Read(soap, limits, request: false);

    private static ParseResult<SoapEnvelope> Read(ReadOnlyMemory<byte> soap, XmlLimits limits, bool request)
    {
        ArgumentNullException.ThrowIfNull(limits);
        var encoding = SoapText.CheckUtf8(soap.Span);
        if (encoding is not null)
        {
            return ParseResult<SoapEnvelope>.Fail(InvalidXml, encoding);
        }

        return SafeXml.Read(soap, limits, reader => new Parser(reader, soap, request).Run());
    }

    private static ParseResult<SoapEnvelope> Fail(string code, string message) => ParseResult<SoapEnvelope>.Fail(code, message);

    /// <summary>One pass over one envelope. Every Read… method starts on an element's start tag and, on success, leaves the reader on the node after its end.</summary>
    private sealed class Parser(XmlReader reader, ReadOnlyMemory<byte> soap, bool request)
    {
        private readonly List<string> _order = new(8);
        private readonly List<string> _xopIncludes = [];
        private ClientId? _client;
        private ServiceId? _service;
        private string? _id;
        private string? _protocolVersion;
        private string? _userId;
        private string? _issue;
        private SecurityServerId? _securityServer;
        private RepresentedParty? _representedParty;
        private string? _requestHash;
        private string? _requestHashAlgorithm;
        private bool _sawHeader;
        private int _headerEnd = -1;
        private bool _sawBody;
        private string _bodyLocalName = string.Empty;
        private string _bodyNamespace = string.Empty;
        private bool _isFault;
        private string? _faultCode;
        private string? _faultString;

        public ParseResult<SoapEnvelope> Run()
        {
            reader.MoveToContent();
            if (reader.NodeType != XmlNodeType.Element || reader.LocalName != "Envelope" || reader.NamespaceURI != SoapNamespaces.Envelope11)
            {
                return Fail(InvalidSoap, reader.LocalName == "Envelope" && reader.NamespaceURI == "http://www.w3.org/2003/05/soap-envelope"
                    ? "The message is SOAP 1.2; X-Road 4.0 uses SOAP 1.1 (http://schemas.xmlsoap.org/soap/envelope/)."
                    : "The document element is not a SOAP 1.1 Envelope (http://schemas.xmlsoap.org/soap/envelope/).");
            }

            var failure = ReadEnvelopeChildren();
            if (failure is not null)
            {
                return failure.Value;
            }

            // Past the Envelope only whitespace, comments and PIs may follow; the reader refuses a second root.
            while (reader.Read())
            {
            }

            return Finish();
        }

        private ParseResult<SoapEnvelope>? ReadEnvelopeChildren()
        {
            if (reader.IsEmptyElement)
            {
                return null;
            }

            reader.Read();
            while (true)
            {
                switch (reader.NodeType)
                {
                    case XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace:
                        reader.Read();
                        break;

                    case XmlNodeType.EndElement:
                        return null;

                    case XmlNodeType.Element when reader.NamespaceURI == SoapNamespaces.Envelope11 && reader.LocalName == "Header":
                        if (_sawHeader)
                        {
                            return Fail(InvalidSoap, "The Envelope has a second Header.");
                        }

                        if (_sawBody)
                        {
                            return Fail(InvalidSoap, "The Header comes after the Body; it must come first.");
                        }

                        _sawHeader = true;
                        var header = ReadHeader();
                        if (header is not null)
                        {
                            return header;
                        }

                        break;

                    case XmlNodeType.Element when reader.NamespaceURI == SoapNamespaces.Envelope11 && reader.LocalName == "Body":
                        if (_sawBody)
                        {
                            return Fail(InvalidSoap, "The Envelope has a second Body.");
                        }

                        _sawBody = true;
                        var body = ReadBody();
                        if (body is not null)
                        {
                            return body;
                        }

                        break;

                    case XmlNodeType.Element:
                        return Fail(InvalidSoap, $"The Envelope contains {Describe()}; only a Header and a Body are allowed.");

                    default:
                        return Fail(InvalidSoap, "The Envelope contains text; only a Header and a Body are allowed.");
                }
            }
        }

        private ParseResult<SoapEnvelope> Finish()
        {
            if (!_sawHeader && !(_sawBody && _isFault && !request))
            {
                return Fail(MissingHeader, "The SOAP message has no Header; X-Road messages carry their header fields there.");
            }

            if (!_sawBody)
            {
                return Fail(MissingBody, "The SOAP message has no Body.");
            }

            SoapHeader? header = null;
            if (_sawHeader)
            {
                var missing = _client is null ? "xrd:client"
                    : _service is null ? "xrd:service"
                    : _id is null ? "xrd:id"
                    : _protocolVersion is null ? "xrd:protocolVersion"
                    : null;
                if (missing is not null)
                {
                    return Fail(MissingHeaderField, $"The SOAP header field {missing} is missing.");
                }

                header = new SoapHeader
                {
                    Client = _client!,
                    Service = _service,
                    Id = _id!,
                    ProtocolVersion = _protocolVersion!,
                    UserId = _userId,
                    Issue = _issue,
                    SecurityServer = _securityServer,
                    RepresentedParty = _representedParty,
                    RequestHash = _requestHash,
                    RequestHashAlgorithm = _requestHashAlgorithm,
                    Order = _order.ToArray(),
                };
            }

            if (request && _bodyLocalName != _service!.ServiceCode)
            {
                return Fail(InvalidBody, $"The Body's element is '{_bodyLocalName}' but the service code is '{_service.ServiceCode}'; they must be equal.");
            }

            return ParseResult<SoapEnvelope>.Ok(new SoapEnvelope
            {
                Header = header,
                BodyLocalName = _bodyLocalName,
                BodyNamespace = _bodyNamespace,
                IsFault = _isFault,
                FaultCode = _faultCode,
                FaultString = _faultString,
                HeaderEndOffset = _headerEnd,
                XopIncludes = _xopIncludes.Count == 0 ? [] : _xopIncludes.ToArray(),
            });
        }

        private ParseResult<SoapEnvelope>? ReadHeader()
        {
            if (reader.IsEmptyElement)
            {
                reader.Read();
                return null;
            }

            reader.Read();
            while (true)
            {
                switch (reader.NodeType)
                {
                    case XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace:
                        reader.Read();
                        break;

                    case XmlNodeType.EndElement:
                        var end = LocateEndTag();
                        if (end < 0)
                        {
                            return Fail(InvalidSoap, "The end of the SOAP Header could not be located in the message bytes.");
                        }

                        _headerEnd = end;
                        reader.Read();
                        return null;

                    case XmlNodeType.Element:
                        var ns = reader.NamespaceURI;
                        var failure = ns == SoapNamespaces.XRoad ? ReadXRoadField()
                            : ns == SoapNamespaces.RepresentedParty ? ReadReprField()
                            : ns is SoapNamespaces.Envelope11 or SoapNamespaces.Identifiers
                                ? Fail(InvalidSoap, $"The Header contains {Describe()}, which does not belong there.")
                            : ReadForeignHeader();
                        if (failure is not null)
                        {
                            return failure;
                        }

                        break;

                    default:
                        return Fail(InvalidSoap, "The Header contains text; only header elements are allowed.");
                }
            }
        }

        // The reader is on the Header's end tag; its position is the name after "</".
        private int LocateEndTag()
        {
            if (reader is not IXmlLineInfo info || !info.HasLineInfo())
            {
                return -1;
            }

            var bytes = soap.Span;
            var name = SoapText.ToByteOffset(bytes, info.LineNumber, info.LinePosition);
            if (name < 2 || bytes[name - 2] != (byte)'<' || bytes[name - 1] != (byte)'/')
            {
                return -1;
            }

            var qualified = Encoding.UTF8.GetBytes(reader.Name);
            return bytes[name..].StartsWith(qualified) ? name - 2 : -1;
        }

        /// <summary>Reads one identifier field with <paramref name="read"/>; its failure becomes the envelope's.</summary>
        private ParseResult<SoapEnvelope>? ReadIdentifier<T>(Func<XmlReader, ParseResult<T>> read, out T? value)
            where T : class
        {
            var result = read(reader);
            value = result.Success ? result.Value : null;
            return result.Success ? null : Fail(result.ErrorCode, result.Message);
        }

        private ParseResult<SoapEnvelope>? ReadXRoadField()
        {
            var local = reader.LocalName;
            switch (local)
            {
                case "client":
                    return Duplicate(_client is not null, local) ?? ReadIdentifier(IdentifierXml.ReadClient, out _client);

                case "service":
                    return Duplicate(_service is not null, local) ?? ReadIdentifier(IdentifierXml.ReadService, out _service);

                case "securityServer":
                    return Duplicate(_securityServer is not null, local) ?? ReadIdentifier(IdentifierXml.ReadSecurityServer, out _securityServer);

                case "id":
                    return Duplicate(_id is not null, local) ?? ReadField("xrd:id", out _id);

                case "userId":
                    return Duplicate(_userId is not null, local) ?? ReadField("xrd:userId", out _userId);

                case "issue":
                    return Duplicate(_issue is not null, local) ?? ReadField("xrd:issue", out _issue);

                case "protocolVersion":
                    var version = Duplicate(_protocolVersion is not null, local) ?? ReadField("xrd:protocolVersion", out _protocolVersion);
                    if (version is null && _protocolVersion != SoapHeader.ProtocolVersion40)
                    {
                        return Fail(InvalidProtocolVersion, $"xrd:protocolVersion must be {SoapHeader.ProtocolVersion40}.");
                    }

                    return version;

                case "requestHash" when !request:
                    if (Duplicate(_requestHash is not null, local) is { } dupHash)
                    {
                        return dupHash;
                    }

                    _requestHashAlgorithm = reader.GetAttribute("algorithmId");
                    return ReadField("xrd:requestHash", out _requestHash);

                default:
                    return Fail(InvalidSoap, $"The Header has an extra header field xrd:{local}.");
            }
        }

        private ParseResult<SoapEnvelope>? ReadReprField()
        {
            var local = reader.LocalName;
            if (local != "representedParty")
            {
                return Fail(InvalidSoap, $"The Header has an extra header field repr:{local}.");
            }

            if (Duplicate(_representedParty is not null, local) is { } dup)
            {
                return dup;
            }

            if (reader.IsEmptyElement)
            {
                return Fail(InvalidSoap, "repr:representedParty is empty; repr:partyCode is mandatory.");
            }

            string? partyClass = null;
            string? partyCode = null;
            reader.Read();
            while (reader.NodeType != XmlNodeType.EndElement)
            {
                if (reader.NodeType is XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace)
                {
                    reader.Read();
                    continue;
                }

                if (reader.NodeType != XmlNodeType.Element || reader.NamespaceURI != SoapNamespaces.RepresentedParty)
                {
                    return Fail(InvalidSoap, "repr:representedParty may contain only repr:partyClass and repr:partyCode.");
                }

                ParseResult<SoapEnvelope>? failure;
                if (reader.LocalName == "partyClass" && partyClass is null && partyCode is null)
                {
                    failure = ReadField("repr:partyClass", out partyClass);
                }
                else if (reader.LocalName == "partyCode" && partyCode is null)
                {
                    failure = ReadField("repr:partyCode", out partyCode);
                }
                else
                {
                    return Fail(InvalidSoap, "repr:representedParty must contain an optional repr:partyClass, then one repr:partyCode.");
                }

                if (failure is not null)
                {
                    return failure;
                }
            }

            if (partyCode is null)
            {
                return Fail(InvalidSoap, "repr:representedParty has no repr:partyCode.");
            }

            reader.Read();
            _representedParty = new RepresentedParty(partyClass, partyCode);
            return null;
        }

        private ParseResult<SoapEnvelope>? Duplicate(bool seen, string local)
        {
            var prefix = local == "representedParty" ? "repr" : "xrd";
            if (seen)
            {
                return Fail(DuplicateHeaderField, $"The SOAP header field {prefix}:{local} appears more than once.");
            }

            _order.Add(local);
            return null;
        }

        // A text-only field: non-blank, at most 255 characters, no control characters.
        private ParseResult<SoapEnvelope>? ReadField(string name, out string? value)
        {
            value = null;
            var text = ReadText(name, MaxFieldLength, out var problem);
            if (text is null)
            {
                return Fail(InvalidSoap, problem!);
            }

            if (string.IsNullOrWhiteSpace(text))
            {
                return Fail(InvalidSoap, $"{name} is empty.");
            }

            foreach (var c in text)
            {
                if (char.IsControl(c))
                {
                    return Fail(InvalidSoap, $"{name} contains a control character.");
                }
            }

            value = text;
            return null;
        }

        // The concatenated text of a text-only element; null (with the problem) when it holds an element
        // or more than maxLength characters.
        private string? ReadText(string name, int maxLength, out string? problem)
        {
            problem = null;
            if (reader.IsEmptyElement)
            {
                reader.Read();
                return string.Empty;
            }

            reader.Read();
            string? single = null;
            StringBuilder? many = null;
            while (true)
            {
                switch (reader.NodeType)
                {
                    case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace:
                        var part = reader.Value;
                        if (single is null)
                        {
                            single = part;
                        }
                        else
                        {
                            many ??= new StringBuilder(single);
                            many.Append(part);
                        }

                        if ((many?.Length ?? single.Length) > maxLength)
                        {
                            problem = $"{name} is longer than {maxLength} characters.";
                            return null;
                        }

                        reader.Read();
                        break;

                    case XmlNodeType.EndElement:
                        reader.Read();
                        return many?.ToString() ?? single ?? string.Empty;

                    default:
                        problem = $"{name} contains an element; it must hold text only.";
                        return null;
                }
            }
        }

        // A header element in another namespace: allowed unless it must be understood, and it may not hide X-Road or SOAP elements.
        private ParseResult<SoapEnvelope>? ReadForeignHeader()
        {
            var mustUnderstand = reader.GetAttribute("mustUnderstand", SoapNamespaces.Envelope11);
            switch (mustUnderstand)
            {
                case null or "0" or "false":
                    break;
                case "1" or "true":
                    return Fail(InvalidSoap, $"The Header contains {Describe()} with mustUnderstand=\"1\", which the gateway does not understand.");
                default:
                    return Fail(InvalidSoap, $"The Header contains {Describe()} whose mustUnderstand is neither 0 nor 1.");
            }

            if (reader.IsEmptyElement)
            {
                reader.Read();
                return null;
            }

            var depth = reader.Depth;
            while (reader.Read())
            {
                if (reader.NodeType == XmlNodeType.Element)
                {
                    if (reader.NamespaceURI is SoapNamespaces.XRoad or SoapNamespaces.RepresentedParty or SoapNamespaces.Envelope11)
                    {
                        return Fail(InvalidSoap, $"The Header has {Describe()} nested inside another header element; X-Road header fields must be children of the Header.");
                    }
                }
                else if (reader.NodeType == XmlNodeType.EndElement && reader.Depth == depth)
                {
                    reader.Read();
                    return null;
                }
            }

            return null;
        }

        private ParseResult<SoapEnvelope>? ReadBody()
        {
            if (reader.IsEmptyElement)
            {
                return Fail(InvalidBody, "The Body is empty; it must contain one element.");
            }

            var found = false;
            reader.Read();
            while (true)
            {
                switch (reader.NodeType)
                {
                    case XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace:
                        reader.Read();
                        break;

                    case XmlNodeType.EndElement:
                        if (!found)
                        {
                            return Fail(InvalidBody, "The Body is empty; it must contain one element.");
                        }

                        reader.Read();
                        return null;

                    case XmlNodeType.Element:
                        if (found)
                        {
                            return Fail(InvalidBody, $"The Body contains {Describe()} after '{_bodyLocalName}'; it must contain exactly one element.");
                        }

                        found = true;
                        _bodyLocalName = reader.LocalName;
                        _bodyNamespace = reader.NamespaceURI;
                        var failure = reader.NamespaceURI == SoapNamespaces.Envelope11 ? ReadSoapBodyElement() : ReadPayload();
                        if (failure is not null)
                        {
                            return failure;
                        }

                        break;

                    default:
                        return Fail(InvalidBody, "The Body contains text beside its element; it must contain exactly one element.");
                }
            }
        }

        private ParseResult<SoapEnvelope>? ReadSoapBodyElement()
        {
            if (reader.LocalName != "Fault")
            {
                return Fail(InvalidSoap, $"The Body contains {Describe()}, which does not belong there.");
            }

            if (request)
            {
                return Fail(InvalidSoap, "A request's Body contains a SOAP Fault.");
            }

            _isFault = true;
            if (reader.IsEmptyElement)
            {
                reader.Read();
                return null;
            }

            var depth = reader.Depth;
            reader.Read();
            while (!(reader.NodeType == XmlNodeType.EndElement && reader.Depth == depth))
            {
                if (reader.NodeType == XmlNodeType.Element && reader.Depth == depth + 1 && reader.NamespaceURI.Length == 0 &&
                    reader.LocalName is "faultcode" or "faultstring")
                {
                    var isCode = reader.LocalName == "faultcode";
                    if ((isCode ? _faultCode : _faultString) is not null)
                    {
                        return Fail(InvalidSoap, $"The Fault has more than one {reader.LocalName}.");
                    }

                    var name = reader.LocalName;
                    var text = ReadText(name, int.MaxValue, out var problem);
                    if (text is null)
                    {
                        return Fail(InvalidSoap, $"The Fault's {problem}");
                    }

                    if (isCode)
                    {
                        _faultCode = text;
                    }
                    else
                    {
                        _faultString = text;
                    }

                    continue;
                }

                if (reader.NodeType == XmlNodeType.Element)
                {
                    CollectXop();
                }

                if (!reader.Read())
                {
                    break;
                }
            }

            reader.Read();
            return null;
        }

        // The wrapper element and everything in it: read to check it, noting xop:Include references.
        private ParseResult<SoapEnvelope>? ReadPayload()
        {
            CollectXop();
            if (reader.IsEmptyElement)
            {
                reader.Read();
                return null;
            }

            var depth = reader.Depth;
            while (reader.Read())
            {
                if (reader.NodeType == XmlNodeType.Element)
                {
                    CollectXop();
                }
                else if (reader.NodeType == XmlNodeType.EndElement && reader.Depth == depth)
                {
                    reader.Read();
                    return null;
                }
            }

            return null;
        }

        private void CollectXop()
        {
            if (reader.LocalName == "Include" && reader.NamespaceURI == SoapNamespaces.Xop)
            {
                _xopIncludes.Add(reader.GetAttribute("href") ?? string.Empty);
            }
        }

        // Names an element for a message: prefix:local, or {namespace}local when unprefixed in a namespace.
        // Names are capped by XmlLimits.MaxNameLength; a namespace URI is not, so it is clipped.
        private string Describe()
        {
            if (reader.Prefix.Length > 0 || reader.NamespaceURI.Length == 0)
            {
                return $"the element {reader.Name}";
            }

            var ns = reader.NamespaceURI;
            return ns.Length <= 100 && !ns.Any(char.IsControl)
                ? $"the element {{{ns}}}{reader.LocalName}"
                : $"the element {reader.LocalName} in another namespace";
        }
    }
}
