using System.Text;
using System.Text.Json;
using System.Xml;
using ExchangeGateway.Common.Errors;

namespace ExchangeGateway.Common.Tests.Errors;

public sealed class ErrorRendererTests
{
    private const string SoapEnv = "http://schemas.xmlsoap.org/soap/envelope/";
    private static readonly Guid Detail = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");
    private static readonly ErrorCode AccessDenied = ErrorCode.ServerProxy(ErrorCatalog.AccessDenied);

    public static TheoryData<string> HostileMessages => new()
    {
        "<script>alert(1)</script>",
        "a & b \"quoted\" 'single' > c",
        "line1\r\nline2\nline3\rline4",
        "tab\there",
        "]]><injected/>",
        "</message><type>client.fake</type><message>",
        "\"},\"type\":\"client.fake",
        "\u2028\u2029 line separators",
        "emoji \ud83d\ude00 and \u00e4\u00f6\u00fc",
        "\\u0000 literally",
        "&amp; &#x0; &lt;",
        "X-Road-Error: client.fake\r\n\r\n<html>",
    };

    public static TheoryData<string, string> MessagesNeedingReplacement => new()
    {
        { "nul\0here", "nul\uFFFDhere" },
        { "esc\u001b[31mred", "esc\uFFFD[31mred" },
        { "bell\u0007", "bell\uFFFD" },
        { "del\u007f c1\u0085", "del\uFFFD c1\uFFFD" },
        { "lone high \ud800 end", "lone high \uFFFD end" },
        { "lone low \udc00 end", "lone low \uFFFD end" },
        { "reversed \udc00\ud800", "reversed \uFFFD\uFFFD" },
        { "nonchar \uFFFE\uFFFF", "nonchar \uFFFD\uFFFD" },
    };

    [Fact]
    public void RenderRest_Json_HasExactFieldsStatusHeaderAndContentType()
    {
        var error = new ExchangeError(AccessDenied, "Access denied to service", Detail);

        var rendered = ErrorRenderer.RenderRest(error, RestErrorFormat.Json);

        Assert.Equal(500, rendered.StatusCode);
        Assert.Equal("application/json", rendered.ContentType);
        Assert.Equal("server.serverproxy.access_denied", rendered.XRoadError);
        var fields = ReadJson(rendered);
        Assert.Equal(
            [("type", "server.serverproxy.access_denied"), ("message", "Access denied to service"), ("detail", "0f8fad5b-d9cb-469f-a165-70867728950e")],
            fields);
    }

    [Theory]
    [InlineData(RestErrorFormat.ApplicationXml, "application/xml; charset=utf-8")]
    [InlineData(RestErrorFormat.TextXml, "text/xml; charset=utf-8")]
    public void RenderRest_Xml_HasExactFieldsAndContentType(RestErrorFormat format, string contentType)
    {
        var error = new ExchangeError(ErrorCode.Client(ErrorCatalog.InvalidIdentifier), "Bad client id", Detail);

        var rendered = ErrorRenderer.RenderRest(error, format);

        Assert.Equal(400, rendered.StatusCode);
        Assert.Equal(contentType, rendered.ContentType);
        Assert.Equal("client.invalid_identifier", rendered.XRoadError);
        Assert.Equal(("client.invalid_identifier", "Bad client id", "0f8fad5b-d9cb-469f-a165-70867728950e"), ReadXmlError(rendered));
    }

    [Fact]
    public void RenderSoapFault_HasFaultFieldsStatusAndContentType()
    {
        var error = new ExchangeError(ErrorCode.ClientProxy(ErrorCatalog.OutdatedGlobalConf), "Global configuration is expired", Detail);

        var rendered = ErrorRenderer.RenderSoapFault(error);

        Assert.Equal(200, rendered.StatusCode);
        Assert.Equal("text/xml; charset=utf-8", rendered.ContentType);
        Assert.Equal("server.clientproxy.outdated_global_conf", rendered.XRoadError);
        Assert.Equal(
            ("server.clientproxy.outdated_global_conf", "Global configuration is expired", "0f8fad5b-d9cb-469f-a165-70867728950e"),
            ReadSoapFault(rendered));
    }

    [Fact]
    public void RenderSoapFault_Body_StartsWithXmlDeclarationAndHasNoBom()
    {
        var rendered = ErrorRenderer.RenderSoapFault(new ExchangeError(AccessDenied, "m", Detail));

        Assert.StartsWith("<?xml version=\"1.0\" encoding=\"utf-8\"?><SOAP-ENV:Envelope", Encoding.UTF8.GetString(rendered.Body.Span), StringComparison.Ordinal);
        Assert.NotEqual(0xEF, rendered.Body.Span[0]);
    }

    [Theory]
    [MemberData(nameof(HostileMessages))]
    public void Render_HostileMessage_EveryFormatReturnsItExactly(string message)
    {
        var error = new ExchangeError(AccessDenied, message, Detail);

        var json = ErrorRenderer.RenderRest(error, RestErrorFormat.Json);
        var xml = ErrorRenderer.RenderRest(error, RestErrorFormat.ApplicationXml);
        var soap = ErrorRenderer.RenderSoapFault(error);

        Assert.Equal(message, ReadJson(json)[1].Value);
        Assert.Equal(("server.serverproxy.access_denied", message, Detail.ToString()), ReadXmlError(xml));
        Assert.Equal(("server.serverproxy.access_denied", message, Detail.ToString()), ReadSoapFault(soap));
        Assert.All([json, xml, soap], r => Assert.Equal("server.serverproxy.access_denied", r.XRoadError));
    }

    [Theory]
    [MemberData(nameof(HostileMessages))]
    public void Render_HostileMessage_BodiesHaveNoRawControlBytesOrJsonMarkup(string message)
    {
        var error = new ExchangeError(AccessDenied, message, Detail);

        var json = ErrorRenderer.RenderRest(error, RestErrorFormat.Json).Body.ToArray();
        var xml = ErrorRenderer.RenderRest(error, RestErrorFormat.TextXml).Body.ToArray();
        var soap = ErrorRenderer.RenderSoapFault(error).Body.ToArray();

        // CR and LF are entitized in XML and escaped in JSON, so neither body contains a raw line break.
        Assert.All([json, xml, soap], body => Assert.DoesNotContain(body, b => b < 0x20));
        var jsonText = Encoding.UTF8.GetString(json);
        Assert.DoesNotContain("<", jsonText, StringComparison.Ordinal);
        Assert.DoesNotContain("&", jsonText, StringComparison.Ordinal);
        Assert.All([json, xml, soap], body => Assert.Equal(body, Encoding.UTF8.GetBytes(new UTF8Encoding(false, true).GetString(body))));
    }

    [Theory]
    [MemberData(nameof(MessagesNeedingReplacement))]
    public void Render_UnrepresentableCharacters_ReplacedConsistentlyInEveryFormat(string message, string expected)
    {
        var error = new ExchangeError(AccessDenied, message, Detail);

        Assert.Equal(expected, ReadJson(ErrorRenderer.RenderRest(error, RestErrorFormat.Json))[1].Value);
        Assert.Equal(expected, ReadXmlError(ErrorRenderer.RenderRest(error, RestErrorFormat.ApplicationXml)).Message);
        Assert.Equal(expected, ReadSoapFault(ErrorRenderer.RenderSoapFault(error)).Message);
    }

    [Fact]
    public void Render_OverlongMessage_IsTruncatedWithEllipsis()
    {
        var error = new ExchangeError(AccessDenied, new string('x', ErrorRenderer.MaxMessageLength + 500), Detail);

        var message = ReadJson(ErrorRenderer.RenderRest(error, RestErrorFormat.Json))[1].Value;

        Assert.Equal(new string('x', ErrorRenderer.MaxMessageLength) + "\u2026", message);
    }

    [Fact]
    public void Render_TruncationAtSurrogatePair_DoesNotSplitIt()
    {
        var text = new string('x', ErrorRenderer.MaxMessageLength - 1) + "\ud83d\ude00tail";
        var error = new ExchangeError(AccessDenied, text, Detail);

        var message = ReadXmlError(ErrorRenderer.RenderRest(error, RestErrorFormat.ApplicationXml)).Message;

        Assert.Equal(new string('x', ErrorRenderer.MaxMessageLength - 1) + "\u2026", message);
    }

    [Fact]
    public void Render_EmptyMessage_IsRendered()
    {
        var error = new ExchangeError(AccessDenied, string.Empty, Detail);

        Assert.Equal(string.Empty, ReadJson(ErrorRenderer.RenderRest(error, RestErrorFormat.Json))[1].Value);
        Assert.Equal(string.Empty, ReadSoapFault(ErrorRenderer.RenderSoapFault(error)).Message);
    }

    [Theory]
    [InlineData(null, "application/json")]
    [InlineData("application/xml", "application/xml; charset=utf-8")]
    [InlineData("text/xml", "text/xml; charset=utf-8")]
    [InlineData("application/xml;q=0.5, application/json", "application/json")]
    public void RenderRest_AcceptHeader_ChoosesFormat(string? accept, string contentType)
    {
        var rendered = ErrorRenderer.RenderRest(new ExchangeError(AccessDenied, "m", Detail), accept);

        Assert.Equal(contentType, rendered.ContentType);
    }

    [Fact]
    public void ExchangeError_NullArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => new ExchangeError(null!, "m", Detail));
        Assert.Throws<ArgumentNullException>(() => new ExchangeError(AccessDenied, null!, Detail));
    }

    private static List<(string Name, string Value)> ReadJson(RenderedError rendered)
    {
        using var document = JsonDocument.Parse(rendered.Body);
        return document.RootElement.EnumerateObject().Select(p => (p.Name, p.Value.GetString()!)).ToList();
    }

    private static (string Type, string Message, string Detail) ReadXmlError(RenderedError rendered)
    {
        using var reader = CreateReader(rendered);
        reader.MoveToContent();
        Assert.Equal("error", reader.LocalName);
        Assert.Equal(string.Empty, reader.NamespaceURI);
        reader.ReadStartElement("error");
        var type = reader.ReadElementContentAsString("type", string.Empty);
        var message = reader.ReadElementContentAsString("message", string.Empty);
        var detail = reader.ReadElementContentAsString("detail", string.Empty);
        reader.ReadEndElement();
        return (type, message, detail);
    }

    private static (string Code, string Message, string Detail) ReadSoapFault(RenderedError rendered)
    {
        using var reader = CreateReader(rendered);
        reader.MoveToContent();
        reader.ReadStartElement("Envelope", SoapEnv);
        reader.ReadStartElement("Body", SoapEnv);
        reader.ReadStartElement("Fault", SoapEnv);
        var code = reader.ReadElementContentAsString("faultcode", string.Empty);
        var message = reader.ReadElementContentAsString("faultstring", string.Empty);
        reader.ReadStartElement("detail", string.Empty);
        var detail = reader.ReadElementContentAsString("faultDetail", string.Empty);
        reader.ReadEndElement();
        reader.ReadEndElement();
        reader.ReadEndElement();
        reader.ReadEndElement();
        return (code, message, detail);
    }

    private static XmlReader CreateReader(RenderedError rendered) =>
        XmlReader.Create(new MemoryStream(rendered.Body.ToArray()), new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
        });
}
