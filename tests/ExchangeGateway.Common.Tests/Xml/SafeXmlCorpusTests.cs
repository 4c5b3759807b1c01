using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Xml;
using ExchangeGateway.Common.Mime;
using ExchangeGateway.Common.Soap;
using ExchangeGateway.Common.Tests.Soap;
using ExchangeGateway.Common.Xml;

namespace ExchangeGateway.Common.Tests.Xml;

/// <summary>
/// RELIABILITY.md rows 1–2: XXE via a file, via http, via a parameter entity, an external DTD, billion
/// laughs and quadratic blowup are refused at the DTD by every way in (SafeXml over memory and over a
/// stream, the envelope reader, the message reader), with no file read and no connection made.
/// </summary>
public sealed class SafeXmlCorpusTests : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly string _sentinelPath = Path.Combine(Path.GetTempPath(), $"xgw-sentinel-{Guid.NewGuid():N}.txt");
    private readonly string _sentinel = "SENTINEL-" + Guid.NewGuid().ToString("N");

    public SafeXmlCorpusTests()
    {
        _listener.Start();
        File.WriteAllText(_sentinelPath, _sentinel);
    }

    public static TheoryData<string> Documents() =>
        ["xxe-file.xml", "xxe-http.xml", "xxe-parameter-entity.xml", "xxe-external-dtd.xml", "billion-laughs.xml", "quadratic-blowup.xml"];

    [Theory]
    [MemberData(nameof(Documents))]
    public void EveryReader_RefusesAtTheDtd_WithoutFileOrNetwork(string name)
    {
        var xml = SoapCorpus.Xxe(name)
            .Replace("{SENTINEL}", _sentinelPath, StringComparison.Ordinal)
            .Replace("{PORT}", ((IPEndPoint)_listener.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        var bytes = Encoding.UTF8.GetBytes(xml);
        var messages = new List<string>();

        // SafeXml over memory: refused by the prolog scan.
        var memory = Assert.ThrowsAny<XmlException>(() => ReadToEnd(SafeXml.CreateReader(bytes, XmlLimits.Default)));
        Assert.Equal(XmlViolation.Dtd, SafeXml.Classify(memory));
        messages.Add(memory.Message);

        // SafeXml over a stream: no prolog scan, refused by DtdProcessing.Prohibit.
        using (var stream = new MemoryStream(bytes))
        {
            var streamed = Assert.ThrowsAny<XmlException>(() => ReadToEnd(SafeXml.CreateReader(stream, XmlLimits.Default)));
            Assert.Equal(XmlViolation.Dtd, SafeXml.Classify(streamed));
            messages.Add(streamed.Message);
        }

        // UTF-16: the prolog scan cannot see it; the framework's prohibition must.
        var utf16 = Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(xml.Replace("UTF-8", "UTF-16", StringComparison.Ordinal))).ToArray();
        var wide = Assert.ThrowsAny<XmlException>(() => ReadToEnd(SafeXml.CreateReader(utf16, XmlLimits.Default)));
        Assert.Equal(XmlViolation.Dtd, SafeXml.Classify(wide));

        var read = SafeXml.Read(bytes, XmlLimits.Default, r => ReadToEndResult(r));
        Assert.Equal("client.invalid_xml", read.ErrorCode);
        Assert.Contains("DTD", read.Message, StringComparison.Ordinal);
        messages.Add(read.Message!);

        var envelope = SoapEnvelopeReader.ReadRequest(bytes, XmlLimits.Default);
        Assert.Equal("client.invalid_xml", envelope.ErrorCode);
        messages.Add(envelope.Message!);

        var message = SoapMessageReader.ReadRequest(bytes, "text/xml; charset=utf-8", XmlLimits.Default);
        Assert.Equal("client.invalid_xml", message.ErrorCode);
        messages.Add(message.Message!);

        Assert.All(messages, m => Assert.DoesNotContain(_sentinel, m, StringComparison.Ordinal));
        Assert.False(_listener.Pending(), "the parser connected to the listener");
    }

    [Fact]
    public void Listener_WouldSeeAConnection()
    {
        // The check above means something: a real connection is visible as pending.
        using var client = new TcpClient();
        client.Connect((IPEndPoint)_listener.LocalEndpoint);
        SpinWait.SpinUntil(_listener.Pending, TimeSpan.FromSeconds(5));
        Assert.True(_listener.Pending());
    }

    [Fact]
    public void BillionLaughs_RefusedFast_Repeatedly()
    {
        var bytes = Encoding.UTF8.GetBytes(SoapCorpus.Xxe("billion-laughs.xml"));
        var watch = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal("client.invalid_xml", SoapEnvelopeReader.ReadRequest(bytes, XmlLimits.Default).ErrorCode);
        }

        // Generous: the mechanism (refused at the DOCTYPE) is what is asserted; this only catches expansion.
        Assert.True(watch.ElapsedMilliseconds < 2_000, $"20 refusals took {watch.ElapsedMilliseconds} ms");
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Dispose();
        File.Delete(_sentinelPath);
    }

    private static void ReadToEnd(XmlReader reader)
    {
        using (reader)
        {
            while (reader.Read())
            {
            }
        }
    }

    private static Results.ParseResult<bool> ReadToEndResult(XmlReader reader)
    {
        while (reader.Read())
        {
        }

        return Results.ParseResult<bool>.Ok(true);
    }
}
