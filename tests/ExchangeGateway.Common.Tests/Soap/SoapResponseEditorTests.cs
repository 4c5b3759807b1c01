using System.Security.Cryptography;
using System.Text;
using ExchangeGateway.Common.Soap;
using ExchangeGateway.Common.Xml;
using static ExchangeGateway.Common.Tests.Soap.SoapSamples;

namespace ExchangeGateway.Common.Tests.Soap;

public sealed class SoapResponseEditorTests
{
    private static readonly string Hash = SoapRequestHash.Compute(Encoding.UTF8.GetBytes(Request()));

    /// <summary>Responses whose Header end sits after every shape that moves a character position away from a byte offset.</summary>
    public static TheoryData<string, string> Shapes() => new()
    {
        { "compact", Response(RequestHeader()) },
        { "lf", Response(RequestHeader()).Replace("><", ">\n<", StringComparison.Ordinal) },
        { "crlf", Response(RequestHeader()).Replace("><", ">\r\n  <", StringComparison.Ordinal) },
        { "cr", Response(RequestHeader()).Replace("><", ">\r<", StringComparison.Ordinal) },
        { "mixed", Response(RequestHeader()).Replace("><xrd:", ">\r\n\r\r\n\n\t<xrd:", StringComparison.Ordinal) },
        { "declaration", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n" + Response(RequestHeader()) },
        { "bom", "\uFEFF" + Response(RequestHeader()) },
        { "two-byte", Response(RequestHeader().Replace("EE12345678901", "J\u00fcri \u00e9\u00e9", StringComparison.Ordinal)) },
        { "three-byte", Response(RequestHeader().Replace("case-12", "\u20ac\u4e2d\u6587", StringComparison.Ordinal)) },
        { "four-byte", Response(RequestHeader().Replace("case-12", "\U0001F600x\U0001F601", StringComparison.Ordinal)) },
        { "four-byte-same-line-as-end", Response(RequestHeader() + "<t:x xmlns:t=\"urn:t\">\U0001F600\U0001F600\u00e9</t:x>") },
        { "comment-with-newlines", Response(RequestHeader() + "<!-- a\r\nb\nc\rd \U0001F600 -->") },
        { "cdata-with-newlines", Response(RequestHeader().Replace("case-12", "<![CDATA[case\u00e9-12]]>", StringComparison.Ordinal)) },
        { "attribute-with-newline", Response(RequestHeader() + "<t:x xmlns:t=\"urn:t\" a=\"1\r\n2\u00e9\"/>") },
        { "end-tag-space", Response(RequestHeader()).Replace("</SOAP-ENV:Header>", "</SOAP-ENV:Header \r\n >", StringComparison.Ordinal) },
        { "other-prefix", Response(RequestHeader()).Replace("SOAP-ENV:", "soapenv:", StringComparison.Ordinal).Replace("xmlns:SOAP-ENV", "xmlns:soapenv", StringComparison.Ordinal) },
        { "default-namespace", Response(RequestHeader()).Replace("SOAP-ENV:", string.Empty, StringComparison.Ordinal).Replace("xmlns:SOAP-ENV", "xmlns", StringComparison.Ordinal) },
        { "xrd-rebound", Response(RequestHeader()).Replace("xmlns:xrd=", "xmlns:x=", StringComparison.Ordinal).Replace("xrd:", "x:", StringComparison.Ordinal) + "" },
        { "non-ascii-prefix", Response(RequestHeader()).Replace("SOAP-ENV", "s\u00f6ap", StringComparison.Ordinal) },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void HeaderEndOffset_PointsAtHeaderEndTag(string shape, string xml)
    {
        var bytes = Encoding.UTF8.GetBytes(xml);
        var envelope = ReadResponse(bytes, shape);

        var at = envelope.HeaderEndOffset;
        Assert.True(at > 0, shape);
        var tail = Encoding.UTF8.GetString(bytes.AsSpan(at));
        Assert.Matches("^</[^:>]*:?Header[ \\r\\n>]", tail);
        Assert.Equal(xml.LastIndexOf("Header", StringComparison.Ordinal), xml.IndexOf(tail, StringComparison.Ordinal) + tail.IndexOf("Header", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void InsertRequestHash_ChangesNothingElse_AndReparses(string shape, string xml)
    {
        var bytes = Encoding.UTF8.GetBytes(xml);
        var envelope = ReadResponse(bytes, shape);

        var edited = SoapResponseEditor.InsertRequestHash(bytes, envelope, Hash);

        var at = envelope.HeaderEndOffset;
        var inserted = edited.Length - bytes.Length;
        Assert.True(edited.AsSpan(0, at).SequenceEqual(bytes.AsSpan(0, at)), "bytes before the insertion changed");
        Assert.True(edited.AsSpan(at + inserted).SequenceEqual(bytes.AsSpan(at)), "bytes after the insertion changed");
        Assert.Equal(
            $"<xrd:requestHash xmlns:xrd=\"{Xrd}\" algorithmId=\"{SoapRequestHash.AlgorithmId}\">{Hash}</xrd:requestHash>",
            Encoding.UTF8.GetString(edited.AsSpan(at, inserted)));

        var reread = SoapEnvelopeReader.ReadResponse(edited, XmlLimits.Default);
        Assert.True(reread.Success, reread.Message);
        Assert.Equal(Hash, reread.Value.Header!.RequestHash);
        Assert.Equal(SoapRequestHash.AlgorithmId, reread.Value.Header.RequestHashAlgorithm);
        Assert.Equal([.. envelope.Header!.Order, "requestHash"], reread.Value.Header.Order);
        Assert.Equal(envelope.Header with { RequestHash = Hash, RequestHashAlgorithm = SoapRequestHash.AlgorithmId, Order = reread.Value.Header.Order }, reread.Value.Header);
    }

    [Fact]
    public void InsertRequestHash_Refusals()
    {
        var withHash = Encoding.UTF8.GetBytes(Response());
        var hashed = ReadResponse(withHash, "with hash");
        Assert.Throws<ArgumentException>(() => SoapResponseEditor.InsertRequestHash(withHash, hashed, Hash));

        var fault = Encoding.UTF8.GetBytes(Fault("a", "b"));
        var faultEnvelope = ReadResponse(fault, "fault");
        Assert.Throws<ArgumentException>(() => SoapResponseEditor.InsertRequestHash(fault, faultEnvelope, Hash));

        var plain = Encoding.UTF8.GetBytes(Response(RequestHeader()));
        var envelope = ReadResponse(plain, "plain");
        Assert.Throws<ArgumentException>(() => SoapResponseEditor.InsertRequestHash(plain, envelope, "<evil/>"));
        Assert.Throws<ArgumentException>(() => SoapResponseEditor.InsertRequestHash(plain.AsSpan(1), envelope, Hash));
    }

    [Fact]
    public void RequestHash_IsBase64Sha512OfTheBytes()
    {
        var bytes = Encoding.UTF8.GetBytes(Request());

        Assert.Equal(Convert.ToBase64String(SHA512.HashData(bytes)), SoapRequestHash.Compute(bytes));
        Assert.Equal(88, SoapRequestHash.Compute(bytes).Length);
        Assert.Equal("http://www.w3.org/2001/04/xmlenc#sha512", SoapRequestHash.AlgorithmId);
    }

    private static SoapEnvelope ReadResponse(byte[] bytes, string shape)
    {
        var read = SoapEnvelopeReader.ReadResponse(bytes, XmlLimits.Default);
        Assert.True(read.Success, shape + ": " + read.Message);
        return read.Value;
    }

    [Fact]
    public void SoapRequestHash_FromDigest_IsComputeOfTheSamePart()
    {
        var soap = Encoding.UTF8.GetBytes("<e>any SOAP part</e>");
        Assert.Equal(SoapRequestHash.Compute(soap), SoapRequestHash.FromDigest(SHA512.HashData(soap)));
        Assert.Throws<ArgumentException>(() => SoapRequestHash.FromDigest(SHA256.HashData(soap)));
    }
}
