using System.Text;
using System.Xml;
using ExchangeGateway.Common.Soap;
using ExchangeGateway.Common.Tests.Soap;
using ExchangeGateway.Common.Xml;

namespace ExchangeGateway.Common.Tests.Xml;

/// <summary>RELIABILITY.md rows 3–4: each <see cref="XmlLimits"/> cap, just under and just over, and deep nesting refused at the cap.</summary>
public sealed class SafeXmlLimitsTests
{
    private static string Nested(int depth) =>
        new StringBuilder(depth * 7).Insert(0, "<e>", depth).Append(new StringBuilder().Insert(0, "</e>", depth)).ToString();

    private static XmlViolation? Violation(string xml, XmlLimits? limits = null) => Violation(Encoding.UTF8.GetBytes(xml), limits);

    private static XmlViolation? Violation(byte[] xml, XmlLimits? limits = null)
    {
        try
        {
            using var reader = SafeXml.CreateReader(xml, limits ?? XmlLimits.Default);
            while (reader.Read())
            {
            }

            return null;
        }
        catch (XmlException ex)
        {
            return SafeXml.Classify(ex);
        }
    }

    [Fact]
    public void Depth_AtCap_Accepted_OneOver_Refused()
    {
        Assert.Equal(64, XmlLimits.Default.MaxDepth);
        Assert.Null(Violation(Nested(64)));
        Assert.Equal(XmlViolation.Depth, Violation(Nested(65)));
    }

    [Theory]
    [InlineData(65)]
    [InlineData(1_000)]
    [InlineData(40_000)]
    public void Depth_DeepNesting_RefusedAtTheCap_HavingReadLittle(int depth)
    {
        var bytes = Encoding.UTF8.GetBytes(Nested(depth));
        using var counting = new CountingStream(bytes);

        var ex = Assert.Throws<XmlLimitException>(() =>
        {
            using var reader = SafeXml.CreateReader(counting, XmlLimits.Default);
            while (reader.Read())
            {
            }
        });

        Assert.Equal(XmlViolation.Depth, ex.Violation);

        // The reader stopped at element 65 (column 3*64+1 on line 1), having pulled no more than its first buffers.
        Assert.Equal(1, ex.LineNumber);
        Assert.Equal((3 * 64) + 2, ex.LinePosition);
        Assert.True(counting.BytesRead <= 16 * 1024, $"read {counting.BytesRead} of {bytes.Length} bytes");
        if (depth == 40_000)
        {
            Assert.True(counting.BytesRead * 10 < bytes.Length);
        }
    }

    [Theory]
    [InlineData(65)]
    [InlineData(1_000)]
    [InlineData(40_000)]
    public void Depth_DeepNestingInSoapBody_InvalidXml(int depth)
    {
        var xml = SoapSamples.Request(body: $"<p:getPatient xmlns:p=\"urn:p\">{Nested(depth)}</p:getPatient>");

        var result = SoapEnvelopeReader.ReadRequest(SoapSamples.Utf8(xml), XmlLimits.Default);

        Assert.Equal("client.invalid_xml", result.ErrorCode);
        Assert.Contains("deeper than 64", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Elements_AtCap_Accepted_OneOver_Refused()
    {
        var cap = XmlLimits.Default.MaxElements;
        string Doc(int elements) => new StringBuilder(elements * 4 + 8).Append("<r>").Insert(3, "<b/>", elements - 1).Append("</r>").ToString();

        Assert.Null(Violation(Doc(cap)));
        Assert.Equal(XmlViolation.ElementCount, Violation(Doc(cap + 1)));
    }

    [Fact]
    public void Attributes_AtCap_Accepted_OneOver_Refused()
    {
        var cap = XmlLimits.Default.MaxAttributes;
        string Doc(int count) => "<r xmlns:p=\"urn:p\"" + string.Concat(Enumerable.Range(1, count - 1).Select(i => $" a{i}=\"v\"")) + "/>";

        Assert.Null(Violation(Doc(cap)));
        Assert.Equal(XmlViolation.AttributeCount, Violation(Doc(cap + 1)));
    }

    [Fact]
    public void NameLength_AtCap_Accepted_OneOver_Refused()
    {
        var cap = XmlLimits.Default.MaxNameLength;

        Assert.Null(Violation($"<{new string('n', cap)}/>"));
        Assert.Equal(XmlViolation.NameLength, Violation($"<{new string('n', cap + 1)}/>"));
        Assert.Null(Violation($"<p:{new string('n', cap - 2)} xmlns:p=\"urn:p\"/>"));
        Assert.Equal(XmlViolation.NameLength, Violation($"<p:{new string('n', cap - 1)} xmlns:p=\"urn:p\"/>"));
        Assert.Null(Violation($"<r {new string('a', cap)}=\"v\"/>"));
        Assert.Equal(XmlViolation.NameLength, Violation($"<r {new string('a', cap + 1)}=\"v\"/>"));
    }

    [Fact]
    public void TextLength_DefaultCap_Accepted_OneOver_Refused()
    {
        var cap = XmlLimits.Default.MaxTextLength;

        Assert.Null(Violation($"<r>{new string('t', cap)}</r>"));
        Assert.Equal(XmlViolation.TextLength, Violation($"<r>{new string('t', cap + 1)}</r>"));
    }

    [Fact]
    public void TextLength_SmallCap_TextCDataAndAttribute()
    {
        var limits = new XmlLimits { MaxTextLength = 1_000 };

        Assert.Null(Violation($"<r>{new string('t', 1_000)}</r>", limits));
        Assert.Equal(XmlViolation.TextLength, Violation($"<r>{new string('t', 1_001)}</r>", limits));
        Assert.Null(Violation($"<r><![CDATA[{new string('t', 1_000)}]]></r>", limits));
        Assert.Equal(XmlViolation.TextLength, Violation($"<r><![CDATA[{new string('t', 1_001)}]]></r>", limits));
        Assert.Null(Violation($"<r a=\"{new string('t', 1_000)}\"/>", limits));
        Assert.Equal(XmlViolation.TextLength, Violation($"<r a=\"{new string('t', 1_001)}\"/>", limits));
    }

    [Fact]
    public void Characters_SmallCap_Accepted_OneOver_Refused()
    {
        var limits = new XmlLimits { MaxCharacters = 10_000 };
        string Doc(int length) => "<r>" + new string('c', length - 7) + "</r>";

        Assert.Equal(10_000, Doc(10_000).Length);
        Assert.Null(Violation(Doc(10_000), limits));
        Assert.Equal(XmlViolation.DocumentSize, Violation(Doc(10_001), limits));
    }

    [Fact]
    public void Characters_DefaultCap_Accepted_OneOver_Refused()
    {
        var cap = checked((int)XmlLimits.Default.MaxCharacters);

        // Two text nodes, each within MaxTextLength, so only the document size can be the reason.
        byte[] Doc(int length)
        {
            var doc = new byte[length];
            doc.AsSpan().Fill((byte)'x');
            "<r>"u8.CopyTo(doc);
            "<b/>"u8.CopyTo(doc.AsSpan(3 + XmlLimits.Default.MaxTextLength));
            "</r>"u8.CopyTo(doc.AsSpan(length - 4));
            return doc;
        }

        Assert.Null(Violation(Doc(cap)));
        Assert.Equal(XmlViolation.DocumentSize, Violation(Doc(cap + 1)));
    }

    /// <summary>A read-only stream over bytes that counts what the reader pulled.</summary>
    private sealed class CountingStream(byte[] bytes) : MemoryStream(bytes, writable: false)
    {
        public long BytesRead { get; private set; }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = base.Read(buffer, offset, count);
            BytesRead += n;
            return n;
        }

        public override int Read(Span<byte> buffer)
        {
            var n = base.Read(buffer);
            BytesRead += n;
            return n;
        }
    }
}
