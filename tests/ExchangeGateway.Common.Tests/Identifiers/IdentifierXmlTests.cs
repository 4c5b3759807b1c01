using System.Text;
using System.Xml;
using ExchangeGateway.Common.Identifiers;

namespace ExchangeGateway.Common.Tests.Identifiers;

public sealed class IdentifierXmlTests
{
    private const string Xrd = "http://x-road.eu/xsd/xroad.xsd";
    private const string Id = "http://x-road.eu/xsd/identifiers";
    private const string Ns = $"xmlns:xrd=\"{Xrd}\" xmlns:id=\"{Id}\"";
    private const string InvalidIdentifier = "client.invalid_identifier";
    private const string InvalidObjectType = "client.invalid_object_type";

    private const string MemberParts =
        "<id:xRoadInstance>EE</id:xRoadInstance><id:memberClass>GOV</id:memberClass><id:memberCode>70000002</id:memberCode>";

    [Fact]
    public void ReadClient_SubsystemExampleFromProtocol_ReadsAllParts()
    {
        var xml = $"<xrd:client {Ns} id:objectType=\"SUBSYSTEM\">{MemberParts}<id:subsystemCode>clinic</id:subsystemCode></xrd:client>";

        var result = IdentifierXml.ReadClient(ReaderAt(xml));

        Assert.True(result.Success, result.Message);
        Assert.Equal(ClientId.Parse("EE/GOV/70000002/clinic"), result.Value);
    }

    [Fact]
    public void ReadClient_Member_ReadsMemberClient()
    {
        var xml = $"<xrd:client {Ns} id:objectType=\"MEMBER\">{MemberParts}</xrd:client>";

        var result = IdentifierXml.ReadClient(ReaderAt(xml));

        Assert.True(result.Success, result.Message);
        Assert.Equal(ClientId.Parse("EE/GOV/70000002"), result.Value);
    }

    [Fact]
    public void ReadClient_PrettyPrintedWithCommentsAndCData_ReadsValues()
    {
        var xml = $"""
            <xrd:client {Ns} id:objectType="SUBSYSTEM">
                <!-- the consumer -->
                <id:xRoadInstance>EE</id:xRoadInstance>
                <id:memberClass><![CDATA[GOV]]></id:memberClass>
                <id:memberCode>7000<!-- split -->0002</id:memberCode>
                <?pi ignored?>
                <id:subsystemCode>clinic</id:subsystemCode>
            </xrd:client>
            """;

        var result = IdentifierXml.ReadClient(ReaderAt(xml));

        Assert.True(result.Success, result.Message);
        Assert.Equal(ClientId.Parse("EE/GOV/70000002/clinic"), result.Value);
    }

    [Fact]
    public void ReadService_WithVersion_ReadsAllParts()
    {
        var xml = $"<xrd:service {Ns} id:objectType=\"SERVICE\">{MemberParts}<id:subsystemCode>hospital</id:subsystemCode>" +
                  "<id:serviceCode>patient-summary</id:serviceCode><id:serviceVersion>v1</id:serviceVersion></xrd:service>";

        var result = IdentifierXml.ReadService(ReaderAt(xml));

        Assert.True(result.Success, result.Message);
        Assert.Equal(ServiceId.Parse("EE/GOV/70000002/hospital/patient-summary/v1"), result.Value);
    }

    [Fact]
    public void ReadService_WithoutVersion_HasNoVersion()
    {
        var xml = $"<xrd:service {Ns} id:objectType=\"SERVICE\">{MemberParts}<id:subsystemCode>hospital</id:subsystemCode>" +
                  "<id:serviceCode>patient-summary</id:serviceCode></xrd:service>";

        var result = IdentifierXml.ReadService(ReaderAt(xml));

        Assert.True(result.Success, result.Message);
        Assert.Null(result.Value.ServiceVersion);
    }

    [Fact]
    public void ReadSecurityServer_Valid_ReadsAllParts()
    {
        var xml = $"<xrd:securityServer {Ns} id:objectType=\"SERVER\">{MemberParts}<id:serverCode>ss1</id:serverCode></xrd:securityServer>";

        var result = IdentifierXml.ReadSecurityServer(ReaderAt(xml));

        Assert.True(result.Success, result.Message);
        Assert.Equal(SecurityServerId.Parse("EE/GOV/70000002/ss1"), result.Value);
    }

    [Fact]
    public void ReadGlobalGroup_Valid_ReadsAllParts()
    {
        var xml = $"<g {Ns} id:objectType=\"GLOBALGROUP\"><id:xRoadInstance>EE</id:xRoadInstance><id:groupCode>security-officers</id:groupCode></g>";

        var result = IdentifierXml.ReadGlobalGroup(ReaderAt(xml));

        Assert.True(result.Success, result.Message);
        Assert.Equal(GlobalGroupId.Parse("EE/security-officers"), result.Value);
    }

    [Fact]
    public void ReadClient_InsideHeader_LeavesReaderOnNextSibling()
    {
        var xml = $"<h {Ns}><xrd:client id:objectType=\"MEMBER\">{MemberParts}</xrd:client><xrd:service id:objectType=\"SERVICE\">" +
                  $"{MemberParts}<id:subsystemCode>s</id:subsystemCode><id:serviceCode>c</id:serviceCode></xrd:service><xrd:id>1</xrd:id></h>";
        var reader = ReaderAt(xml);
        reader.Read();

        var client = IdentifierXml.ReadClient(reader);
        Assert.True(client.Success, client.Message);
        Assert.Equal(XmlNodeType.Element, reader.NodeType);
        Assert.Equal("service", reader.LocalName);

        var service = IdentifierXml.ReadService(reader);
        Assert.True(service.Success, service.Message);
        Assert.Equal("id", reader.LocalName);
        Assert.Equal(Xrd, reader.NamespaceURI);
    }

    [Fact]
    public void ReadClient_ReaderNotOnElement_Throws()
    {
        var reader = XmlReader.Create(new StringReader("<a/>"));

        Assert.Throws<InvalidOperationException>(() => IdentifierXml.ReadClient(reader));
    }

    [Theory]
    [InlineData($"<xrd:client {Ns}>{MemberParts}</xrd:client>", "missing objectType")]
    [InlineData($"<xrd:client {Ns} objectType=\"MEMBER\">{MemberParts}</xrd:client>", "unqualified objectType")]
    [InlineData($"<xrd:client {Ns} id:objectType=\"member\">{MemberParts}</xrd:client>", "lower-case objectType")]
    [InlineData($"<xrd:client {Ns} id:objectType=\" MEMBER\">{MemberParts}</xrd:client>", "objectType with space")]
    [InlineData($"<xrd:client {Ns} id:objectType=\"1\">{MemberParts}</xrd:client>", "numeric objectType")]
    [InlineData($"<xrd:client {Ns} id:objectType=\"LOCALGROUP\">{MemberParts}</xrd:client>", "LOCALGROUP")]
    [InlineData($"<xrd:client {Ns} id:objectType=\"SERVICE\">{MemberParts}</xrd:client>", "SERVICE where a client is expected")]
    [InlineData($"<xrd:client {Ns} id:objectType=\"SERVER\">{MemberParts}<id:serverCode>s</id:serverCode></xrd:client>", "SERVER where a client is expected")]
    [InlineData($"<xrd:client {Ns} id:objectType=\"MEMBER\">{MemberParts}<id:subsystemCode>clinic</id:subsystemCode></xrd:client>", "MEMBER with subsystemCode")]
    [InlineData($"<xrd:client {Ns} id:objectType=\"SUBSYSTEM\">{MemberParts}</xrd:client>", "SUBSYSTEM without subsystemCode")]
    public void ReadClient_BadObjectType_FailsWithInvalidObjectType(string xml, string because)
    {
        var result = IdentifierXml.ReadClient(ReaderAt(xml));

        Assert.False(result.Success, because);
        Assert.Equal(InvalidObjectType, result.ErrorCode);
    }

    [Theory]
    [InlineData("SUBSYSTEM")]
    [InlineData("MEMBER")]
    [InlineData("SERVER")]
    public void ReadService_ObjectTypeOtherThanService_FailsWithInvalidObjectType(string objectType)
    {
        var xml = $"<xrd:service {Ns} id:objectType=\"{objectType}\">{MemberParts}<id:subsystemCode>hospital</id:subsystemCode>" +
                  "<id:serviceCode>patient-summary</id:serviceCode></xrd:service>";

        Assert.Equal(InvalidObjectType, IdentifierXml.ReadService(ReaderAt(xml)).ErrorCode);
    }

    [Fact]
    public void ReadSecurityServerAndGroup_WrongObjectType_FailWithInvalidObjectType()
    {
        var server = $"<s {Ns} id:objectType=\"MEMBER\">{MemberParts}<id:serverCode>ss1</id:serverCode></s>";
        var group = $"<g {Ns} id:objectType=\"MEMBER\"><id:xRoadInstance>EE</id:xRoadInstance><id:groupCode>g</id:groupCode></g>";

        Assert.Equal(InvalidObjectType, IdentifierXml.ReadSecurityServer(ReaderAt(server)).ErrorCode);
        Assert.Equal(InvalidObjectType, IdentifierXml.ReadGlobalGroup(ReaderAt(group)).ErrorCode);
    }

    [Theory]
    [InlineData("<id:xRoadInstance>EE</id:xRoadInstance><id:memberClass>GOV</id:memberClass>", "memberCode missing")]
    [InlineData("", "no children")]
    [InlineData("<id:xRoadInstance>EE</id:xRoadInstance><id:memberCode>1</id:memberCode><id:memberClass>GOV</id:memberClass>", "out of order")]
    [InlineData("<id:memberClass>GOV</id:memberClass><id:xRoadInstance>EE</id:xRoadInstance><id:memberCode>1</id:memberCode>", "instance not first")]
    [InlineData(MemberParts + "<id:memberCode>2</id:memberCode>", "duplicate memberCode")]
    [InlineData("<id:xRoadInstance>EE</id:xRoadInstance><id:xRoadInstance>EE</id:xRoadInstance><id:memberClass>GOV</id:memberClass><id:memberCode>1</id:memberCode>", "duplicate instance")]
    [InlineData(MemberParts + "<id:groupCode>g</id:groupCode>", "child of another identifier kind")]
    [InlineData(MemberParts + "<id:unknown>x</id:unknown>", "unknown child")]
    [InlineData("<xRoadInstance>EE</xRoadInstance><id:memberClass>GOV</id:memberClass><id:memberCode>1</id:memberCode>", "child without namespace")]
    [InlineData("<xrd:xRoadInstance>EE</xrd:xRoadInstance><id:memberClass>GOV</id:memberClass><id:memberCode>1</id:memberCode>", "child in xrd namespace")]
    [InlineData("<id:xRoadInstance><b>EE</b></id:xRoadInstance><id:memberClass>GOV</id:memberClass><id:memberCode>1</id:memberCode>", "nested element")]
    [InlineData("<id:xRoadInstance>E<b/>E</id:xRoadInstance><id:memberClass>GOV</id:memberClass><id:memberCode>1</id:memberCode>", "nested empty element")]
    [InlineData("<id:xRoadInstance a=\"1\">EE</id:xRoadInstance><id:memberClass>GOV</id:memberClass><id:memberCode>1</id:memberCode>", "attribute on child")]
    [InlineData("text<id:xRoadInstance>EE</id:xRoadInstance><id:memberClass>GOV</id:memberClass><id:memberCode>1</id:memberCode>", "text between children")]
    [InlineData("<id:xRoadInstance>EE</id:xRoadInstance><![CDATA[x]]><id:memberClass>GOV</id:memberClass><id:memberCode>1</id:memberCode>", "CDATA between children")]
    [InlineData("<id:xRoadInstance> EE</id:xRoadInstance><id:memberClass>GOV</id:memberClass><id:memberCode>1</id:memberCode>", "leading space")]
    [InlineData("<id:xRoadInstance>EE </id:xRoadInstance><id:memberClass>GOV</id:memberClass><id:memberCode>1</id:memberCode>", "trailing space")]
    [InlineData("<id:xRoadInstance>\nEE\n</id:xRoadInstance><id:memberClass>GOV</id:memberClass><id:memberCode>1</id:memberCode>", "surrounding newlines")]
    [InlineData("<id:xRoadInstance>EE&#x20;</id:xRoadInstance><id:memberClass>GOV</id:memberClass><id:memberCode>1</id:memberCode>", "space via character reference")]
    [InlineData("<id:xRoadInstance/><id:memberClass>GOV</id:memberClass><id:memberCode>1</id:memberCode>", "empty element")]
    [InlineData("<id:xRoadInstance></id:xRoadInstance><id:memberClass>GOV</id:memberClass><id:memberCode>1</id:memberCode>", "empty content")]
    [InlineData("<id:xRoadInstance>   </id:xRoadInstance><id:memberClass>GOV</id:memberClass><id:memberCode>1</id:memberCode>", "whitespace-only content")]
    [InlineData("<id:xRoadInstance>EE</id:xRoadInstance><id:memberClass>GOV</id:memberClass><id:memberCode>7000 2</id:memberCode>", "space inside value")]
    [InlineData("<id:xRoadInstance>EE</id:xRoadInstance><id:memberClass>GOV</id:memberClass><id:memberCode>a&lt;b</id:memberCode>", "escaped less-than")]
    [InlineData("<id:xRoadInstance>EE</id:xRoadInstance><id:memberClass>GOV</id:memberClass><id:memberCode>..</id:memberCode>", "dot segment")]
    [InlineData("<id:xRoadInstance>EE</id:xRoadInstance><id:memberClass>GOV</id:memberClass><id:memberCode>\uff21</id:memberCode>", "fullwidth letter")]
    [InlineData("<id:xRoadInstance>EE</id:xRoadInstance><id:memberClass>GOV</id:memberClass><id:memberCode>a/b</id:memberCode>", "slash")]
    public void ReadClient_BadStructureOrValue_FailsWithInvalidIdentifier(string children, string because)
    {
        var xml = $"<xrd:client {Ns} id:objectType=\"MEMBER\">{children}</xrd:client>";

        var result = IdentifierXml.ReadClient(ReaderAt(xml));

        Assert.False(result.Success, because);
        Assert.Equal(InvalidIdentifier, result.ErrorCode);
        Assert.DoesNotContain(result.Message!, char.IsControl);
    }

    [Fact]
    public void ReadClient_SelfClosingElement_FailsWithInvalidIdentifier()
    {
        var result = IdentifierXml.ReadClient(ReaderAt($"<xrd:client {Ns} id:objectType=\"MEMBER\"/>"));

        Assert.Equal(InvalidIdentifier, result.ErrorCode);
    }

    [Fact]
    public void ReadClient_ValueLongerThan255_FailsWithInvalidIdentifier()
    {
        var xml = $"<xrd:client {Ns} id:objectType=\"MEMBER\"><id:xRoadInstance>EE</id:xRoadInstance>" +
                  $"<id:memberClass>GOV</id:memberClass><id:memberCode>{new string('1', 256)}</id:memberCode></xrd:client>";

        var result = IdentifierXml.ReadClient(ReaderAt(xml));

        Assert.Equal(InvalidIdentifier, result.ErrorCode);
        Assert.Contains("255", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadClient_WhitespaceIgnoringReader_StillRejectsPaddedValue()
    {
        var xml = $"<xrd:client {Ns} id:objectType=\"MEMBER\"><id:xRoadInstance> EE</id:xRoadInstance>" +
                  "<id:memberClass>GOV</id:memberClass><id:memberCode>1</id:memberCode></xrd:client>";

        var result = IdentifierXml.ReadClient(ReaderAt(xml, ignoreWhitespace: true));

        Assert.Equal(InvalidIdentifier, result.ErrorCode);
    }

    [Fact]
    public void ReadService_WithoutSubsystem_FailsWithInvalidIdentifier()
    {
        var xml = $"<xrd:service {Ns} id:objectType=\"SERVICE\">{MemberParts}<id:serviceCode>patient-summary</id:serviceCode></xrd:service>";

        var result = IdentifierXml.ReadService(ReaderAt(xml));

        Assert.Equal(InvalidIdentifier, result.ErrorCode);
        Assert.Contains("subsystem", result.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<id:subsystemCode>h</id:subsystemCode><id:serviceVersion>v1</id:serviceVersion><id:serviceCode>c</id:serviceCode>", "version before code")]
    [InlineData("<id:subsystemCode>h</id:subsystemCode>", "serviceCode missing")]
    [InlineData("<id:serviceCode>c</id:serviceCode><id:subsystemCode>h</id:subsystemCode>", "subsystem after code")]
    [InlineData("<id:subsystemCode>h</id:subsystemCode><id:serviceCode>c</id:serviceCode><id:serviceCode>d</id:serviceCode>", "duplicate code")]
    [InlineData("<id:subsystemCode>h</id:subsystemCode><id:serviceCode>c</id:serviceCode><id:serverCode>s</id:serverCode>", "serverCode in service")]
    public void ReadService_BadStructure_FailsWithInvalidIdentifier(string tail, string because)
    {
        var xml = $"<xrd:service {Ns} id:objectType=\"SERVICE\">{MemberParts}{tail}</xrd:service>";

        var result = IdentifierXml.ReadService(ReaderAt(xml));

        Assert.False(result.Success, because);
        Assert.Equal(InvalidIdentifier, result.ErrorCode);
    }

    [Fact]
    public void ReadSecurityServerAndGroup_BadStructure_FailWithInvalidIdentifier()
    {
        var serverWithoutCode = $"<s {Ns} id:objectType=\"SERVER\">{MemberParts}</s>";
        var groupWithMemberClass = $"<g {Ns} id:objectType=\"GLOBALGROUP\"><id:xRoadInstance>EE</id:xRoadInstance>" +
                                   "<id:memberClass>GOV</id:memberClass><id:groupCode>g</id:groupCode></g>";

        Assert.Equal(InvalidIdentifier, IdentifierXml.ReadSecurityServer(ReaderAt(serverWithoutCode)).ErrorCode);
        Assert.Equal(InvalidIdentifier, IdentifierXml.ReadGlobalGroup(ReaderAt(groupWithMemberClass)).ErrorCode);
    }

    [Fact]
    public void WriteClient_Subsystem_WritesSchemaOrderAndObjectType()
    {
        var xml = Write(w => IdentifierXml.WriteClient(w, "xrd", "client", Xrd, ClientId.Parse("EE/GOV/70000002/clinic")));

        Assert.Equal(
            $"<xrd:client id:objectType=\"SUBSYSTEM\" xmlns:id=\"{Id}\" xmlns:xrd=\"{Xrd}\">" +
            "<id:xRoadInstance>EE</id:xRoadInstance><id:memberClass>GOV</id:memberClass><id:memberCode>70000002</id:memberCode>" +
            "<id:subsystemCode>clinic</id:subsystemCode></xrd:client>",
            xml);
    }

    [Fact]
    public void WriteClient_PrefixAlreadyInScope_ReusesIt()
    {
        var xml = Write(w =>
        {
            w.WriteStartElement("h");
            w.WriteAttributeString("xmlns", "ident", null, Id);
            IdentifierXml.WriteClient(w, null, "client", null, ClientId.Parse("EE/GOV/1"));
            w.WriteEndElement();
        });

        Assert.Equal(
            $"<h xmlns:ident=\"{Id}\"><client ident:objectType=\"MEMBER\"><ident:xRoadInstance>EE</ident:xRoadInstance>" +
            "<ident:memberClass>GOV</ident:memberClass><ident:memberCode>1</ident:memberCode></client></h>",
            xml);
    }

    [Theory]
    [InlineData("EE/GOV/70000002/clinic")]
    [InlineData("EE/GOV/70000002")]
    [InlineData("EE/A'()+,-.=?z/0/x")]
    public void WriteClientThenReadClient_RoundTrips(string text)
    {
        var client = ClientId.Parse(text);

        var xml = Write(w => IdentifierXml.WriteClient(w, "xrd", "client", Xrd, client));
        var read = IdentifierXml.ReadClient(ReaderAt(xml));

        Assert.True(read.Success, read.Message);
        Assert.Equal(client, read.Value);
    }

    [Theory]
    [InlineData("EE/GOV/70000001/hospital/patient-summary")]
    [InlineData("EE/GOV/70000001/hospital/patient-summary/v1")]
    public void WriteServiceThenReadService_RoundTrips(string text)
    {
        var service = ServiceId.Parse(text);

        var xml = Write(w => IdentifierXml.WriteService(w, "xrd", "service", Xrd, service));
        var read = IdentifierXml.ReadService(ReaderAt(xml));

        Assert.True(read.Success, read.Message);
        Assert.Equal(service, read.Value);
        Assert.Contains("id:objectType=\"SERVICE\"", xml, StringComparison.Ordinal);
    }

    [Fact]
    public void WriteSecurityServerThenRead_RoundTrips()
    {
        var server = SecurityServerId.Parse("EE/GOV/70000001/ss1");

        var xml = Write(w => IdentifierXml.WriteSecurityServer(w, "xrd", "securityServer", Xrd, server));
        var read = IdentifierXml.ReadSecurityServer(ReaderAt(xml));

        Assert.True(read.Success, read.Message);
        Assert.Equal(server, read.Value);
    }

    [Fact]
    public void WriteGlobalGroupThenRead_RoundTrips()
    {
        var group = GlobalGroupId.Parse("EE/security-officers");

        var xml = Write(w => IdentifierXml.WriteGlobalGroup(w, null, "group", null, group));
        var read = IdentifierXml.ReadGlobalGroup(ReaderAt(xml));

        Assert.True(read.Success, read.Message);
        Assert.Equal(group, read.Value);
    }

    private static XmlReader ReaderAt(string xml, bool ignoreWhitespace = false)
    {
        var reader = XmlReader.Create(new StringReader(xml), new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            IgnoreWhitespace = ignoreWhitespace,
        });
        reader.MoveToContent();
        return reader;
    }

    private static string Write(Action<XmlWriter> write)
    {
        var sb = new StringBuilder();
        using (var writer = XmlWriter.Create(sb, new XmlWriterSettings { OmitXmlDeclaration = true }))
        {
            write(writer);
        }

        return sb.ToString();
    }
}
