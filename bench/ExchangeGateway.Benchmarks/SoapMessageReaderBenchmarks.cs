using System.Text;
using BenchmarkDotNet.Attributes;
using ExchangeGateway.Common.Mime;
using ExchangeGateway.Common.Results;
using ExchangeGateway.Common.Xml;

namespace ExchangeGateway.Benchmarks;

/// <summary>
/// <see cref="SoapMessageReader"/> on what the client proxy reads per exchange: a 1 KiB X-Road request
/// (text/xml), and a 1 MiB request (1 MiB of payload in the body) with a 1 MiB attachment (SOAP with
/// attachments, multipart/related). Run with <c>--filter '*SoapMessageReader*' --job short</c>.
/// </summary>
[MemoryDiagnoser]
public class SoapMessageReaderBenchmarks
{
    private const string Boundary = "MIME-boundary-4f1c2a";
    private const string MultipartType = $"multipart/related; type=\"text/xml\"; boundary=\"{Boundary}\"; start=\"<soap@client>\"";

    private readonly byte[] _small = Request(1024 - 960);
    private readonly byte[] _large = Multipart(Request(1024 * 1024), Attachment(1024 * 1024));

    [GlobalSetup]
    public void Check()
    {
        if (_small.Length is < 900 or > 1100)
        {
            throw new InvalidOperationException($"The small request is {_small.Length} bytes, not about 1 KiB.");
        }

        foreach (var (body, type) in new[] { (_small, "text/xml; charset=utf-8"), (_large, MultipartType) })
        {
            var read = SoapMessageReader.ReadRequest(body, type, XmlLimits.Default);
            if (!read.Success)
            {
                throw new InvalidOperationException($"The benchmark input is refused: {read}");
            }
        }
    }

    /// <summary>About 1 KiB: the four header fields, a small body.</summary>
    [Benchmark(Baseline = true)]
    public ParseResult<SoapMessage> Request1KiB() => SoapMessageReader.ReadRequest(_small, "text/xml; charset=utf-8", XmlLimits.Default);

    /// <summary>A 1 MiB SOAP part and a 1 MiB binary attachment (about 2 MiB in all).</summary>
    [Benchmark]
    public ParseResult<SoapMessage> Request1MiBWith1MiBAttachment() => SoapMessageReader.ReadRequest(_large, MultipartType, XmlLimits.Default);

    private static byte[] Request(int dataSize)
    {
        var data = new StringBuilder(dataSize);
        for (var i = 0; i < dataSize; i++)
        {
            data.Append((char)('a' + (i % 26)));
        }

        return Encoding.UTF8.GetBytes(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>" +
            "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns:xrd=\"http://x-road.eu/xsd/xroad.xsd\" xmlns:id=\"http://x-road.eu/xsd/identifiers\">" +
            "<soapenv:Header>" +
            "<xrd:client id:objectType=\"SUBSYSTEM\"><id:xRoadInstance>DEV</id:xRoadInstance><id:memberClass>GOV</id:memberClass><id:memberCode>70000001</id:memberCode><id:subsystemCode>consumer</id:subsystemCode></xrd:client>" +
            "<xrd:service id:objectType=\"SERVICE\"><id:xRoadInstance>DEV</id:xRoadInstance><id:memberClass>ORG</id:memberClass><id:memberCode>70000002</id:memberCode><id:subsystemCode>provider</id:subsystemCode><id:serviceCode>echoData</id:serviceCode><id:serviceVersion>v1</id:serviceVersion></xrd:service>" +
            "<xrd:id>4894e35d-bf0f-44a6-867a-8e51f1daa7e0</xrd:id><xrd:protocolVersion>4.0</xrd:protocolVersion>" +
            "</soapenv:Header>" +
            $"<soapenv:Body><ech:echoData xmlns:ech=\"http://quickstart.exchangegateway.dev/echo\"><ech:data>{data}</ech:data></ech:echoData></soapenv:Body>" +
            "</soapenv:Envelope>");
    }

    private static byte[] Attachment(int size)
    {
        var bytes = new byte[size];
        new Random(42).NextBytes(bytes);
        return bytes;
    }

    private static byte[] Multipart(byte[] soap, byte[] attachment)
    {
        using var body = new MemoryStream();
        void Text(string text) => body.Write(Encoding.ASCII.GetBytes(text));
        Text($"--{Boundary}\r\nContent-Type: text/xml; charset=UTF-8\r\nContent-ID: <soap@client>\r\n\r\n");
        body.Write(soap);
        Text($"\r\n--{Boundary}\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: binary\r\nContent-ID: <attachment1@client>\r\n\r\n");
        body.Write(attachment);
        Text($"\r\n--{Boundary}--\r\n");
        return body.ToArray();
    }
}
