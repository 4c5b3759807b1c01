using ExchangeGateway.Common.Errors;

namespace ExchangeGateway.Common.Tests.Errors;

public sealed class AcceptNegotiationTests
{
    [Theory]
    [InlineData(null, RestErrorFormat.Json)]
    [InlineData("", RestErrorFormat.Json)]
    [InlineData("   ", RestErrorFormat.Json)]
    [InlineData("*/*", RestErrorFormat.Json)]
    [InlineData("application/json", RestErrorFormat.Json)]
    [InlineData("application/xml", RestErrorFormat.ApplicationXml)]
    [InlineData("text/xml", RestErrorFormat.TextXml)]
    [InlineData("APPLICATION/XML", RestErrorFormat.ApplicationXml)]
    [InlineData("application/xml; charset=utf-8", RestErrorFormat.ApplicationXml)]
    [InlineData("application/xml, application/json", RestErrorFormat.Json)]
    [InlineData("application/json, application/xml", RestErrorFormat.Json)]
    [InlineData("application/xml;q=0.9, application/json", RestErrorFormat.Json)]
    [InlineData("application/json;q=0.5, application/xml", RestErrorFormat.ApplicationXml)]
    [InlineData("application/xml; Q=0.8, application/json; q=0.7", RestErrorFormat.ApplicationXml)]
    [InlineData("text/xml;q=0.8, application/xml;q=0.9", RestErrorFormat.ApplicationXml)]
    [InlineData("text/xml, application/xml;q=0.5", RestErrorFormat.TextXml)]
    [InlineData("text/*", RestErrorFormat.TextXml)]
    [InlineData("application/*", RestErrorFormat.Json)]
    [InlineData("application/xml, */*;q=0.1", RestErrorFormat.ApplicationXml)]
    [InlineData("*/*, application/json;q=0", RestErrorFormat.ApplicationXml)]
    [InlineData("application/*;q=0.2, application/xml;q=0.3", RestErrorFormat.ApplicationXml)]
    [InlineData("application/json;q=0, application/xml;q=0, text/xml;q=0", RestErrorFormat.Json)]
    [InlineData("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", RestErrorFormat.ApplicationXml)]
    [InlineData("image/png", RestErrorFormat.Json)]
    [InlineData("garbage", RestErrorFormat.Json)]
    [InlineData("application/xml;q=2", RestErrorFormat.Json)]
    [InlineData("application/xml;q=1.001", RestErrorFormat.Json)]
    [InlineData("application/xml;q=0.0001", RestErrorFormat.Json)]
    [InlineData("application/xml;q=", RestErrorFormat.Json)]
    [InlineData("application/xml;q=abc, application/json;q=0.1", RestErrorFormat.Json)]
    [InlineData("application/xml;q=1.000", RestErrorFormat.ApplicationXml)]
    [InlineData("application/xml;q=0.001", RestErrorFormat.ApplicationXml)]
    [InlineData("application/xml;foo=\"a,b;q=0\";q=0.5, application/json;q=0.4", RestErrorFormat.ApplicationXml)]
    [InlineData("application/xml;foo=\"a\\\"b\", application/json;q=0.4", RestErrorFormat.ApplicationXml)]
    [InlineData("bad/, application/xml", RestErrorFormat.ApplicationXml)]
    [InlineData("*/xml, application/json;q=0.5", RestErrorFormat.Json)]
    [InlineData(",,application/xml,,", RestErrorFormat.ApplicationXml)]
    [InlineData("application/xml;;q=0.5", RestErrorFormat.Json)]
    [InlineData("application/xml\r\n", RestErrorFormat.Json)]
    public void NegotiateRestFormat_AcceptHeader_PicksPreferredFormat(string? accept, RestErrorFormat expected)
    {
        Assert.Equal(expected, ErrorRenderer.NegotiateRestFormat(accept));
    }

    [Fact]
    public void NegotiateRestFormat_RangesBeyondLimit_AreIgnored()
    {
        var accept = string.Join(", ", Enumerable.Repeat("image/png", AcceptHeader.MaxRanges)) + ", application/xml";

        Assert.Equal(RestErrorFormat.Json, ErrorRenderer.NegotiateRestFormat(accept));
    }

    [Fact]
    public void NegotiateRestFormat_HugeHeader_CompletesQuickly()
    {
        var accept = new string('a', 1_000_000);

        Assert.Equal(RestErrorFormat.Json, ErrorRenderer.NegotiateRestFormat(accept));
    }

    [Theory]
    [InlineData("0", 0)]
    [InlineData("1", 1000)]
    [InlineData("0.5", 500)]
    [InlineData("0.25", 250)]
    [InlineData("0.125", 125)]
    [InlineData("1.0", 1000)]
    [InlineData("1.", 1000)]
    [InlineData("0.", 0)]
    public void TryParseQuality_Valid_ReturnsThousandths(string text, int expected)
    {
        Assert.True(AcceptHeader.TryParseQuality(text, out var quality));
        Assert.Equal(expected, quality);
    }

    [Theory]
    [InlineData("")]
    [InlineData("2")]
    [InlineData("1.5")]
    [InlineData("0.1234")]
    [InlineData("-0.5")]
    [InlineData(".5")]
    [InlineData("0,5")]
    [InlineData("01")]
    public void TryParseQuality_Invalid_ReturnsFalse(string text)
    {
        Assert.False(AcceptHeader.TryParseQuality(text, out _));
    }
}
