using System.Text;
using ExchangeGateway.Common.Identifiers;
using ExchangeGateway.Common.Soap;
using ExchangeGateway.Common.Xml;
using static ExchangeGateway.Common.Tests.Soap.SoapSamples;

namespace ExchangeGateway.Common.Tests.Soap;

public sealed class SoapEnvelopeReaderTests
{
    private const string InvalidXml = "client.invalid_xml";
    private const string InvalidSoap = "client.invalid_soap";
    private const string MissingHeader = "client.missing_header";
    private const string MissingHeaderField = "client.missing_header_field";
    private const string DuplicateHeaderField = "client.duplicate_header_field";
    private const string MissingBody = "client.missing_body";
    private const string InvalidBody = "client.invalid_body";
    private const string InvalidProtocolVersion = "client.invalid_protocol_version";
    private const string InvalidObjectType = "client.invalid_object_type";
    private const string InvalidIdentifier = "client.invalid_identifier";

    private static string FullHeader(string? without = null, string? twice = null) =>
        string.Concat(AllFields.Where(f => f.Name != without).Select(f => f.Name == twice ? f.Xml + f.Xml : f.Xml));

    private static void AssertFails(string xml, string code, bool request = true, string? messagePart = null)
    {
        var bytes = Utf8(xml);
        var result = request ? SoapEnvelopeReader.ReadRequest(bytes, XmlLimits.Default) : SoapEnvelopeReader.ReadResponse(bytes, XmlLimits.Default);
        Assert.False(result.Success, "expected a failure for: " + xml);
        Assert.Equal(code, result.ErrorCode);
        if (messagePart is not null)
        {
            Assert.Contains(messagePart, result.Message, StringComparison.Ordinal);
        }
    }

    private static SoapEnvelope AssertReads(string xml, bool request = true)
    {
        var bytes = Utf8(xml);
        var result = request ? SoapEnvelopeReader.ReadRequest(bytes, XmlLimits.Default) : SoapEnvelopeReader.ReadResponse(bytes, XmlLimits.Default);
        Assert.True(result.Success, result.Message);
        return result.Value;
    }

    [Fact]
    public void ReadRequest_AllFields_ReadsEveryValueInOrder()
    {
        var envelope = AssertReads(Request(FullHeader()));

        var h = Assert.IsType<SoapHeader>(envelope.Header);
        Assert.Equal(ClientId.Parse("EE/GOV/70000002/clinic"), h.Client);
        Assert.Equal(ServiceId.Parse("EE/GOV/70000001/hospital/getPatient/v1"), h.Service);
        Assert.Equal(SecurityServerId.Parse("EE/GOV/70000001/ss1"), h.SecurityServer);
        Assert.Equal("4894e35d-bf0f-44a6-867a-8e51f1daa7e0", h.Id);
        Assert.Equal("EE12345678901", h.UserId);
        Assert.Equal("case-12", h.Issue);
        Assert.Equal("4.0", h.ProtocolVersion);
        Assert.Equal(new RepresentedParty("COM", "12345"), h.RepresentedParty);
        Assert.Null(h.RequestHash);
        Assert.Equal(AllFields.Select(f => f.Name), h.Order);
        Assert.Equal("getPatient", envelope.BodyLocalName);
        Assert.Equal("http://hospital.example/prod", envelope.BodyNamespace);
        Assert.False(envelope.IsFault);
        Assert.Empty(envelope.XopIncludes);
    }

    [Fact]
    public void ReadRequest_MandatoryFieldsOnly_OptionalFieldsAreNull()
    {
        var envelope = AssertReads(Request(ProtocolVersion + MessageId + Service + Client));

        var h = envelope.Header!;
        Assert.Null(h.UserId);
        Assert.Null(h.Issue);
        Assert.Null(h.SecurityServer);
        Assert.Null(h.RepresentedParty);
        Assert.Equal(["protocolVersion", "id", "service", "client"], h.Order);
    }

    [Fact]
    public void ReadRequest_PrettyPrintedWithCommentsAndBom_Reads()
    {
        var xml = $"""
            <?xml version="1.0" encoding="utf-8"?>
            <!-- a comment -->
            <SOAP-ENV:Envelope {Namespaces}>
              <SOAP-ENV:Header>
                {Client}
                <!-- between fields -->
                {Service}
                {MessageId}
                {ProtocolVersion}
              </SOAP-ENV:Header>
              <SOAP-ENV:Body>
                {Body}
              </SOAP-ENV:Body>
            </SOAP-ENV:Envelope>
            """;
        var bytes = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Encoding.UTF8.GetBytes(xml)).ToArray();

        var result = SoapEnvelopeReader.ReadRequest(bytes, XmlLimits.Default);

        Assert.True(result.Success, result.Message);
    }

    [Theory]
    [InlineData("client")]
    [InlineData("service")]
    [InlineData("id")]
    [InlineData("protocolVersion")]
    public void ReadRequest_MandatoryFieldMissing_MissingHeaderField(string field) =>
        AssertFails(Request(FullHeader(without: field)), MissingHeaderField, messagePart: "xrd:" + field);

    [Theory]
    [InlineData("userId")]
    [InlineData("issue")]
    [InlineData("securityServer")]
    [InlineData("representedParty")]
    public void ReadRequest_OptionalFieldMissing_Reads(string field) =>
        AssertReads(Request(FullHeader(without: field)));

    [Theory]
    [InlineData("client")]
    [InlineData("service")]
    [InlineData("id")]
    [InlineData("protocolVersion")]
    [InlineData("userId")]
    [InlineData("issue")]
    [InlineData("securityServer")]
    [InlineData("representedParty")]
    public void ReadRequest_FieldTwice_DuplicateHeaderField(string field) =>
        AssertFails(Request(FullHeader(twice: field)), DuplicateHeaderField, messagePart: field);

    [Theory]
    [InlineData("<xrd:foo>x</xrd:foo>", "xrd:foo")]
    [InlineData(RequestHash, "xrd:requestHash")]
    [InlineData("<xrd:centralService/>", "xrd:centralService")]
    [InlineData("<repr:other>x</repr:other>", "repr:other")]
    public void ReadRequest_ExtraXRoadField_InvalidSoap(string extra, string name) =>
        AssertFails(Request(FullHeader() + extra), InvalidSoap, messagePart: "extra header field " + name);

    [Fact]
    public void ReadRequest_EmptyHeader_MissingHeaderField()
    {
        AssertFails(Envelope(string.Empty, Body), MissingHeaderField, messagePart: "xrd:client");
        AssertFails($"<SOAP-ENV:Envelope {Namespaces}><SOAP-ENV:Header/><SOAP-ENV:Body>{Body}</SOAP-ENV:Body></SOAP-ENV:Envelope>", MissingHeaderField);
    }

    [Fact]
    public void ReadRequest_NoHeader_MissingHeader()
    {
        AssertFails($"<SOAP-ENV:Envelope {Namespaces}><SOAP-ENV:Body>{Body}</SOAP-ENV:Body></SOAP-ENV:Envelope>", MissingHeader);
        AssertFails($"<SOAP-ENV:Envelope {Namespaces}/>", MissingHeader);
    }

    [Fact]
    public void ReadRequest_NoBody_MissingBody() =>
        AssertFails($"<SOAP-ENV:Envelope {Namespaces}><SOAP-ENV:Header>{FullHeader()}</SOAP-ENV:Header></SOAP-ENV:Envelope>", MissingBody);

    [Theory]
    [InlineData("3.1")]
    [InlineData("4.00")]
    [InlineData(" 4.0")]
    [InlineData("4.0 ")]
    [InlineData("5.0")]
    public void ReadRequest_WrongProtocolVersion_InvalidProtocolVersion(string version) =>
        AssertFails(Request(Client + Service + MessageId + $"<xrd:protocolVersion>{version}</xrd:protocolVersion>"), InvalidProtocolVersion);

    [Fact]
    public void ReadRequest_EmptyProtocolVersion_InvalidSoap() =>
        AssertFails(Request(Client + Service + MessageId + "<xrd:protocolVersion/>"), InvalidSoap);

    [Theory]
    [InlineData("client", "SUBSYSTEM", "SERVICE")]
    [InlineData("client", "SUBSYSTEM", "SERVER")]
    [InlineData("client", "SUBSYSTEM", "MEMBER")]
    [InlineData("client", "SUBSYSTEM", "subsystem")]
    [InlineData("service", "SERVICE", "SUBSYSTEM")]
    [InlineData("securityServer", "SERVER", "MEMBER")]
    public void ReadRequest_ObjectTypeMismatch_InvalidObjectType(string field, string from, string to)
    {
        var header = FullHeader().Replace($"<xrd:{field} id:objectType=\"{from}\"", $"<xrd:{field} id:objectType=\"{to}\"", StringComparison.Ordinal);
        AssertFails(Request(header), InvalidObjectType);
    }

    [Fact]
    public void ReadRequest_ObjectTypeMissing_InvalidObjectType() =>
        AssertFails(Request(FullHeader().Replace("<xrd:client id:objectType=\"SUBSYSTEM\"", "<xrd:client", StringComparison.Ordinal)), InvalidObjectType);

    [Theory]
    [InlineData("<id:memberCode>70000002</id:memberCode>", "<id:memberCode>7000/0002</id:memberCode>")]
    [InlineData("<id:memberCode>70000002</id:memberCode>", "")]
    [InlineData("<id:subsystemCode>clinic</id:subsystemCode>", "<id:subsystemCode>clinic</id:subsystemCode><id:subsystemCode>x</id:subsystemCode>")]
    public void ReadRequest_BadIdentifier_InvalidIdentifier(string from, string to) =>
        AssertFails(Request(FullHeader().Replace(from, to, StringComparison.Ordinal)), InvalidIdentifier);

    [Theory]
    [InlineData("id")]
    [InlineData("userId")]
    [InlineData("issue")]
    public void ReadRequest_TextFieldRules_InvalidSoap(string field)
    {
        string With(string value) => FullHeader().Replace(
            AllFields.Single(f => f.Name == field).Xml, $"<xrd:{field}>{value}</xrd:{field}>", StringComparison.Ordinal);

        AssertReads(Request(With(new string('a', 255))));
        AssertFails(Request(With(new string('a', 256))), InvalidSoap, messagePart: "255");
        AssertFails(Request(With(string.Empty)), InvalidSoap, messagePart: "empty");
        AssertFails(Request(With("   ")), InvalidSoap, messagePart: "empty");
        AssertFails(Request(With("a&#9;b")), InvalidSoap, messagePart: "control");
        AssertFails(Request(With("a&#x85;b")), InvalidSoap, messagePart: "control");
        AssertFails(Request(With("a&#13;&#10;X-Injected: 1")), InvalidSoap, messagePart: "control");
        AssertFails(Request(With("a\r\nb")), InvalidSoap, messagePart: "control");
        AssertFails(Request(With("a<x>b</x>")), InvalidSoap, messagePart: "element");
        AssertReads(Request(With("J\u00fcri <![CDATA[&]]> \U0001F600")));
    }

    [Fact]
    public void ReadRequest_RepresentedPartyShapes()
    {
        AssertReads(Request(FullHeader(without: "representedParty") + "<repr:representedParty><repr:partyCode>1</repr:partyCode></repr:representedParty>"));
        AssertFails(Request(FullHeader(without: "representedParty") + "<repr:representedParty><repr:partyClass>C</repr:partyClass></repr:representedParty>"), InvalidSoap);
        AssertFails(Request(FullHeader(without: "representedParty") + "<repr:representedParty/>"), InvalidSoap);
        AssertFails(Request(FullHeader(without: "representedParty") +
            "<repr:representedParty><repr:partyCode>1</repr:partyCode><repr:partyClass>C</repr:partyClass></repr:representedParty>"), InvalidSoap);
        AssertFails(Request(FullHeader(without: "representedParty") +
            "<repr:representedParty><repr:partyCode>1</repr:partyCode><repr:partyCode>2</repr:partyCode></repr:representedParty>"), InvalidSoap);
    }

    [Theory]
    [InlineData("getPatientResponse")]
    [InlineData("GetPatient")]
    [InlineData("other")]
    public void ReadRequest_WrapperIsNotServiceCode_InvalidBody(string wrapper) =>
        AssertFails(Request(body: $"<p:{wrapper} xmlns:p=\"urn:p\"/>"), InvalidBody, messagePart: "getPatient");

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("text")]
    [InlineData(Body + Body)]
    [InlineData(Body + "<x/>")]
    [InlineData(Body + "text")]
    [InlineData("text" + Body)]
    public void ReadRequest_BodyNotExactlyOneElement_InvalidBody(string body) =>
        AssertFails(Request(body: body), InvalidBody);

    [Fact]
    public void ReadRequest_SelfClosingBody_InvalidBody() =>
        AssertFails($"<SOAP-ENV:Envelope {Namespaces}><SOAP-ENV:Header>{FullHeader()}</SOAP-ENV:Header><SOAP-ENV:Body/></SOAP-ENV:Envelope>", InvalidBody);

    [Fact]
    public void ReadRequest_FaultInRequest_InvalidSoap() =>
        AssertFails(Request(body: "<SOAP-ENV:Fault><faultcode>x</faultcode><faultstring>y</faultstring></SOAP-ENV:Fault>"), InvalidSoap);

    [Fact]
    public void ReadRequest_ForeignHeaderElements_AllowedUnlessMustUnderstand()
    {
        AssertReads(Request(FullHeader() + "<t:trace xmlns:t=\"urn:trace\"><t:span>1</t:span></t:trace>"));
        AssertReads(Request(FullHeader() + "<t:trace xmlns:t=\"urn:trace\" SOAP-ENV:mustUnderstand=\"0\"/>"));
        AssertFails(Request(FullHeader() + "<t:trace xmlns:t=\"urn:trace\" SOAP-ENV:mustUnderstand=\"1\"/>"), InvalidSoap, messagePart: "mustUnderstand");
        AssertFails(Request(FullHeader() + "<t:trace xmlns:t=\"urn:trace\" SOAP-ENV:mustUnderstand=\"true\"/>"), InvalidSoap);
        AssertFails(Request(FullHeader() + "<t:trace xmlns:t=\"urn:trace\" SOAP-ENV:mustUnderstand=\"yes\"/>"), InvalidSoap);
    }

    [Fact]
    public void ReadRequest_UnqualifiedHeaderElement_Allowed() =>
        AssertReads(Request(FullHeader() + "<trace>1</trace>"));

    [Theory]
    [InlineData("<id:xRoadInstance>EE</id:xRoadInstance>")]
    [InlineData("<SOAP-ENV:Fault/>")]
    public void ReadRequest_SoapOrIdentifierElementInHeader_InvalidSoap(string element) =>
        AssertFails(Request(FullHeader() + element), InvalidSoap);

    [Fact]
    public void ReadRequest_TextInHeader_InvalidSoap() =>
        AssertFails(Request(FullHeader() + "stray"), InvalidSoap);

    public static TheoryData<string, string> StructureCases() => new()
    {
        // Body before Header, with and without a following Header.
        { $"<SOAP-ENV:Envelope {Namespaces}><SOAP-ENV:Body>{Body}</SOAP-ENV:Body><SOAP-ENV:Header>{FullHeader()}</SOAP-ENV:Header></SOAP-ENV:Envelope>", InvalidSoap },
        // A second Header.
        { $"<SOAP-ENV:Envelope {Namespaces}><SOAP-ENV:Header>{FullHeader()}</SOAP-ENV:Header><SOAP-ENV:Header/><SOAP-ENV:Body>{Body}</SOAP-ENV:Body></SOAP-ENV:Envelope>", InvalidSoap },
        // A second Body.
        { $"<SOAP-ENV:Envelope {Namespaces}><SOAP-ENV:Header>{FullHeader()}</SOAP-ENV:Header><SOAP-ENV:Body>{Body}</SOAP-ENV:Body><SOAP-ENV:Body>{Body}</SOAP-ENV:Body></SOAP-ENV:Envelope>", InvalidSoap },
        // An element after the Body.
        { $"<SOAP-ENV:Envelope {Namespaces}><SOAP-ENV:Header>{FullHeader()}</SOAP-ENV:Header><SOAP-ENV:Body>{Body}</SOAP-ENV:Body><x/></SOAP-ENV:Envelope>", InvalidSoap },
        // An element before the Header.
        { $"<SOAP-ENV:Envelope {Namespaces}><x/><SOAP-ENV:Header>{FullHeader()}</SOAP-ENV:Header><SOAP-ENV:Body>{Body}</SOAP-ENV:Body></SOAP-ENV:Envelope>", InvalidSoap },
        // Text at the top level of the Envelope.
        { $"<SOAP-ENV:Envelope {Namespaces}>text<SOAP-ENV:Header>{FullHeader()}</SOAP-ENV:Header><SOAP-ENV:Body>{Body}</SOAP-ENV:Body></SOAP-ENV:Envelope>", InvalidSoap },
        // Root is not an Envelope, or is SOAP 1.2.
        { $"<SOAP-ENV:Body {Namespaces}>{Body}</SOAP-ENV:Body>", InvalidSoap },
        { $"<Envelope xmlns=\"http://www.w3.org/2003/05/soap-envelope\"><Header/><Body/></Envelope>", InvalidSoap },
        { $"<Envelope><Header/><Body/></Envelope>", InvalidSoap },
        // Header/Body in the wrong namespace.
        { $"<SOAP-ENV:Envelope {Namespaces}><xrd:Header>{FullHeader()}</xrd:Header><SOAP-ENV:Body>{Body}</SOAP-ENV:Body></SOAP-ENV:Envelope>", InvalidSoap },
        // Not XML at all, or empty.
        { "not xml", InvalidXml },
        { string.Empty, InvalidXml },
        { $"<SOAP-ENV:Envelope {Namespaces}><SOAP-ENV:Header>", InvalidXml },
    };

    [Theory]
    [MemberData(nameof(StructureCases))]
    public void ReadRequest_EnvelopeStructure_Fails(string xml, string code) => AssertFails(xml, code);

    public static TheoryData<string, string> SignatureWrappingCases() => new()
    {
        // Header fields nested inside another header element (the real ones present).
        { Request(FullHeader() + $"<w:wrapper xmlns:w=\"urn:w\">{Client.Replace("clinic", "other", StringComparison.Ordinal)}</w:wrapper>"), InvalidSoap },
        // ...and with the real client missing.
        { Request(FullHeader(without: "client") + $"<w:wrapper xmlns:w=\"urn:w\">{Client}</w:wrapper>"), InvalidSoap },
        // Deeper nesting.
        { Request(FullHeader() + $"<w:a xmlns:w=\"urn:w\"><w:b><w:c>{Service}</w:c></w:b></w:a>"), InvalidSoap },
        // A header field inside another X-Road field.
        { Request(FullHeader(without: "userId") + $"<xrd:userId>{Client}</xrd:userId>"), InvalidSoap },
        // A second Envelope after the first (two document elements).
        { Request() + Request(), InvalidXml },
        // A second Envelope inside the Header.
        { Request(FullHeader() + Request()), InvalidSoap },
        // A Body inside the Header.
        { Request(FullHeader() + $"<SOAP-ENV:Body>{Body}</SOAP-ENV:Body>"), InvalidSoap },
        // A Body inside a foreign header element.
        { Request(FullHeader() + $"<w:wrapper xmlns:w=\"urn:w\"><SOAP-ENV:Body>{Body}</SOAP-ENV:Body></w:wrapper>"), InvalidSoap },
        // A duplicate Body.
        { $"<SOAP-ENV:Envelope {Namespaces}><SOAP-ENV:Header>{FullHeader()}</SOAP-ENV:Header><SOAP-ENV:Body>{Body}</SOAP-ENV:Body><SOAP-ENV:Body><p:evil xmlns:p=\"urn:p\"/></SOAP-ENV:Body></SOAP-ENV:Envelope>", InvalidSoap },
        // A Body inside the Body.
        { Request(body: $"<SOAP-ENV:Body>{Body}</SOAP-ENV:Body>"), InvalidSoap },
        // The wrapper followed by a second element.
        { Request(body: Body + "<p:getPatient xmlns:p=\"urn:evil\"/>"), InvalidBody },
        // An Envelope as the Body's element.
        { Request(body: Request()), InvalidSoap },
    };

    [Theory]
    [MemberData(nameof(SignatureWrappingCases))]
    public void ReadRequest_SignatureWrappingVariant_Fails(string xml, string code) => AssertFails(xml, code);

    [Fact]
    public void ReadRequest_PayloadMayContainXRoadAndSoapElements()
    {
        // Inside the wrapper anything goes: it is the service's payload.
        var envelope = AssertReads(Request(body: $"<p:getPatient xmlns:p=\"urn:p\">{Client}<SOAP-ENV:Body/></p:getPatient>"));
        Assert.Equal("getPatient", envelope.BodyLocalName);
    }

    [Fact]
    public void ReadRequest_XopIncludes_CollectedInOrder()
    {
        var envelope = AssertReads(Request(body:
            "<p:getPatient xmlns:p=\"urn:p\" xmlns:xop=\"http://www.w3.org/2004/08/xop/include\">" +
            "<p:a><xop:Include href=\"cid:one@x\"/></p:a><p:b><xop:Include href=\"cid:two%40x\"></xop:Include></p:b></p:getPatient>"));

        Assert.Equal(["cid:one@x", "cid:two%40x"], envelope.XopIncludes);
    }

    [Fact]
    public void ReadRequest_Utf16_InvalidXml()
    {
        var bytes = Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(Request())).ToArray();
        var result = SoapEnvelopeReader.ReadRequest(bytes, XmlLimits.Default);
        Assert.Equal(InvalidXml, result.ErrorCode);

        var noBom = Encoding.Unicode.GetBytes(Request());
        Assert.Equal(InvalidXml, SoapEnvelopeReader.ReadRequest(noBom, XmlLimits.Default).ErrorCode);

        var bigEndian = Encoding.BigEndianUnicode.GetBytes(Request());
        Assert.Equal(InvalidXml, SoapEnvelopeReader.ReadRequest(bigEndian, XmlLimits.Default).ErrorCode);
    }

    [Theory]
    [InlineData("ISO-8859-1")]
    [InlineData("windows-1252")]
    [InlineData("UTF-16")]
    [InlineData("us-ascii")]
    public void ReadRequest_DeclaredEncodingNotUtf8_InvalidXml(string encoding) =>
        AssertFails($"<?xml version=\"1.0\" encoding=\"{encoding}\"?>" + Request(), InvalidXml, messagePart: "UTF-8");

    [Theory]
    [InlineData("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")]
    [InlineData("<?xml version=\"1.0\" encoding='utf-8' standalone=\"yes\"?>")]
    [InlineData("<?xml version=\"1.0\"?>")]
    public void ReadRequest_Utf8Declarations_Read(string declaration) => AssertReads(declaration + Request());

    [Fact]
    public void ReadRequest_InvalidUtf8_InvalidXml()
    {
        var bytes = Encoding.UTF8.GetBytes(Request(FullHeader(without: "userId") + "<xrd:userId>XX</xrd:userId>"));
        var at = bytes.AsSpan().IndexOf("XX"u8);
        bytes[at] = 0xC3;
        bytes[at + 1] = 0x28;
        Assert.Equal(InvalidXml, SoapEnvelopeReader.ReadRequest(bytes, XmlLimits.Default).ErrorCode);
    }

    [Fact]
    public void ReadResponse_WithRequestHash_ReadsHashAndAlgorithm()
    {
        var envelope = AssertReads(Response(), request: false);

        Assert.Equal(SoapRequestHash.AlgorithmId, envelope.Header!.RequestHashAlgorithm);
        Assert.StartsWith("yG0hl0", envelope.Header.RequestHash, StringComparison.Ordinal);
        Assert.Equal("requestHash", envelope.Header.Order[^1]);
        Assert.Equal("getPatientResponse", envelope.BodyLocalName);
    }

    [Fact]
    public void ReadResponse_BodyNameIsNotChecked() =>
        AssertReads(Response(body: "<p:whatever xmlns:p=\"urn:p\"/>"), request: false);

    [Fact]
    public void ReadResponse_RequestHashTwice_DuplicateHeaderField() =>
        AssertFails(Response(RequestHeader() + RequestHash + RequestHash), DuplicateHeaderField, request: false);

    [Fact]
    public void ReadResponse_FaultWithoutHeader_ReadsFault()
    {
        var envelope = AssertReads(Fault("server.serverproxy.access_denied", "Access denied"), request: false);

        Assert.True(envelope.IsFault);
        Assert.Null(envelope.Header);
        Assert.Equal(-1, envelope.HeaderEndOffset);
        Assert.Equal("server.serverproxy.access_denied", envelope.FaultCode);
        Assert.Equal("Access denied", envelope.FaultString);
        Assert.Equal("Fault", envelope.BodyLocalName);
        Assert.Equal(Env, envelope.BodyNamespace);
    }

    [Fact]
    public void ReadResponse_FaultWithHeader_ReadsBoth()
    {
        var envelope = AssertReads(Fault("SOAP-ENV:Server", "boom", RequestHeader()), request: false);

        Assert.True(envelope.IsFault);
        Assert.NotNull(envelope.Header);
        Assert.Equal("SOAP-ENV:Server", envelope.FaultCode);
    }

    [Fact]
    public void ReadResponse_FaultShapes()
    {
        AssertFails(Fault("a", "b").Replace("<faultcode>a</faultcode>", "<faultcode>a</faultcode><faultcode>c</faultcode>", StringComparison.Ordinal), InvalidSoap, request: false);
        var empty = AssertReads($"<SOAP-ENV:Envelope {Namespaces}><SOAP-ENV:Body><SOAP-ENV:Fault/></SOAP-ENV:Body></SOAP-ENV:Envelope>", request: false);
        Assert.True(empty.IsFault);
        Assert.Null(empty.FaultCode);
    }

    [Fact]
    public void ReadResponse_NoHeaderNotFault_MissingHeader() =>
        AssertFails($"<SOAP-ENV:Envelope {Namespaces}><SOAP-ENV:Body>{ResponseBody}</SOAP-ENV:Body></SOAP-ENV:Envelope>", MissingHeader, request: false);

    [Fact]
    public void ReadResponse_MissingServiceEcho_MissingHeaderField() =>
        AssertFails(Response(Client + MessageId + ProtocolVersion), MissingHeaderField, request: false, messagePart: "xrd:service");

    [Fact]
    public void ReadRequest_LongForeignNamespace_MessageIsClipped()
    {
        var ns = "urn:" + new string('x', 10_000);
        var result = SoapEnvelopeReader.ReadRequest(Utf8(Request(body: Body + $"<evil xmlns=\"{ns}\"/>")), XmlLimits.Default);

        Assert.Equal(InvalidBody, result.ErrorCode);
        Assert.True(result.Message!.Length < 400, result.Message);
    }
}
