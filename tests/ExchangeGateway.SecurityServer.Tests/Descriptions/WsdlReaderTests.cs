using System.Text;
using ExchangeGateway.Common.Xml;
using ExchangeGateway.SecurityServer.Descriptions;

namespace ExchangeGateway.SecurityServer.Tests.Descriptions;

public sealed class WsdlReaderTests
{
    private static ReadOnlyMemory<byte> Utf8(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public void Read_TwoBindings_ListsEachOperationOnceWithItsVersionAndTheAddress()
    {
        var result = WsdlReader.Read(Utf8(DescriptionSamples.Wsdl()), XmlLimits.Default);

        Assert.True(result.Success, result.Message);
        Assert.Equal([new WsdlOperation("getPatient", "v1"), new WsdlOperation("ping", null)], result.Value.Operations.ToArray());
        Assert.Equal("http://127.0.0.1:9000/soap", result.Value.Address);
        Assert.False(result.Value.HasImports);
    }

    [Fact]
    public void Read_NoServiceElement_HasNoAddress()
    {
        var wsdl = """
            <definitions xmlns="http://schemas.xmlsoap.org/wsdl/"><binding name="b"><operation name="op"/></binding></definitions>
            """;

        var result = WsdlReader.Read(Utf8(wsdl), XmlLimits.Default);

        Assert.True(result.Success, result.Message);
        Assert.Equal("op", Assert.Single(result.Value.Operations).Name);
        Assert.Null(result.Value.Address);
    }

    [Theory]
    [InlineData("<html><body>not found</body></html>", "its root element is not wsdl:definitions")]
    [InlineData("<description xmlns=\"http://www.w3.org/ns/wsdl\"/>", "WSDL 2.0")]
    [InlineData("<definitions xmlns=\"http://schemas.xmlsoap.org/wsdl/\"><portType name=\"p\"><operation name=\"x\"/></portType></definitions>", "no binding operations")]
    [InlineData("<definitions xmlns=\"http://schemas.xmlsoap.org/wsdl/\"><import namespace=\"urn:x\" location=\"http://127.0.0.1:1/other.wsdl\"/></definitions>", "imports other documents, which the gateway does not fetch")]
    [InlineData("<definitions xmlns=\"http://schemas.xmlsoap.org/wsdl/\"><binding><operation/></binding></definitions>", "A binding operation has no name")]
    [InlineData("<definitions xmlns=\"http://schemas.xmlsoap.org/wsdl/\" xmlns:xrd=\"http://x-road.eu/xsd/xroad.xsd\"><binding><operation name=\"a\"><xrd:version> </xrd:version></operation></binding></definitions>", "empty xrd:version")]
    public void Read_NotAUsableWsdl_IsRefusedWithAClearMessage(string xml, string expected)
    {
        var result = WsdlReader.Read(Utf8(xml), XmlLimits.Default);

        Assert.False(result.Success);
        Assert.Equal(DescriptionErrors.InvalidDescription, result.ErrorCode);
        Assert.Contains(expected, result.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><definitions xmlns=\"http://schemas.xmlsoap.org/wsdl/\">&x;</definitions>")]
    [InlineData("{\"openapi\":\"3.0.0\"}")]
    [InlineData("<definitions xmlns=\"http://schemas.xmlsoap.org/wsdl/\"><binding>")]
    public void Read_HostileOrMalformedXml_FailsAsInvalidXml(string xml)
    {
        var result = WsdlReader.Read(Utf8(xml), XmlLimits.Default);

        Assert.False(result.Success);
        Assert.Equal("client.invalid_xml", result.ErrorCode);
    }

    [Fact]
    public void Read_DeeperThanTheLimit_IsRefusedAtTheCap()
    {
        var deep = "<definitions xmlns=\"http://schemas.xmlsoap.org/wsdl/\">" + string.Concat(Enumerable.Repeat("<a>", 10_000)) + string.Concat(Enumerable.Repeat("</a>", 10_000)) + "</definitions>";

        var result = WsdlReader.Read(Utf8(deep), XmlLimits.Default);

        Assert.False(result.Success);
        Assert.Equal("client.invalid_xml", result.ErrorCode);
    }
}
