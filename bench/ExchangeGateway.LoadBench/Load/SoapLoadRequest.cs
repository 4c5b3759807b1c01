using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security;
using System.Text;

namespace ExchangeGateway.LoadBench.Load;

/// <summary>
/// The SOAP load: an X-Road 4.0 <c>echoData</c> request (the quickstart's SOAP sample) whose <c>data</c> is
/// <see cref="DataSize"/> ASCII letters. Each request gets its own <c>xrd:id</c>; the rest of the message is
/// built once and shared, so a 1 MiB request costs the load client no copy.
/// </summary>
internal sealed class SoapLoadRequest
{
    private const string EchoNamespace = "http://quickstart.exchangegateway.dev/echo";
    private static readonly MediaTypeHeaderValue TextXml = new("text/xml") { CharSet = "utf-8" };

    private readonly byte[] _beforeId;
    private readonly byte[] _afterId;

    public SoapLoadRequest(string client, string service, int dataSize)
    {
        DataSize = dataSize;
        var data = new StringBuilder(dataSize);
        for (var i = 0; i < dataSize; i++)
        {
            data.Append((char)('a' + (i % 26)));
        }

        _beforeId = Encoding.UTF8.GetBytes(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>" +
            "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns:xrd=\"http://x-road.eu/xsd/xroad.xsd\" " +
            $"xmlns:id=\"http://x-road.eu/xsd/identifiers\" xmlns:ech=\"{EchoNamespace}\"><soapenv:Header>" +
            Identifier("client", client, ["xRoadInstance", "memberClass", "memberCode", "subsystemCode"]) +
            Identifier("service", service, ["xRoadInstance", "memberClass", "memberCode", "subsystemCode", "serviceCode", "serviceVersion"]) +
            "<xrd:id>");
        _afterId = Encoding.UTF8.GetBytes(
            "</xrd:id><xrd:protocolVersion>4.0</xrd:protocolVersion></soapenv:Header>" +
            $"<soapenv:Body><ech:echoData><ech:data>{data}</ech:data></ech:echoData></soapenv:Body></soapenv:Envelope>");
    }

    /// <summary>The size of the payload, the <c>data</c> text, in bytes.</summary>
    public int DataSize { get; }

    /// <summary>The request bytes; a new <c>xrd:id</c> each time.</summary>
    public HttpContent CreateContent() => new Content(_beforeId, Encoding.ASCII.GetBytes(Guid.NewGuid().ToString("D", CultureInfo.InvariantCulture)), _afterId);

    /// <summary>
    /// Null when the answer (its first bytes in <paramref name="head"/>, <paramref name="length"/> in all) is the
    /// echoData response carrying the data back; otherwise what it was instead.
    /// </summary>
    public string? Check(ReadOnlySpan<byte> head, long length)
    {
        if (head.IndexOf("echoDataResponse"u8) >= 0)
        {
            return length >= DataSize ? null : string.Create(CultureInfo.InvariantCulture, $"SOAP answer of {length} bytes, shorter than the {DataSize} bytes of data");
        }

        var code = Between(head, "<faultcode>"u8, "</faultcode>"u8);
        return code is null ? "not an echoDataResponse" : $"SOAP fault {code}";
    }

    private static string? Between(ReadOnlySpan<byte> text, ReadOnlySpan<byte> start, ReadOnlySpan<byte> end)
    {
        var from = text.IndexOf(start);
        if (from < 0)
        {
            return null;
        }

        var rest = text[(from + start.Length)..];
        var to = rest.IndexOf(end);
        return to < 0 ? null : Encoding.UTF8.GetString(rest[..Math.Min(to, 200)]);
    }

    private static string Identifier(string element, string id, string[] partNames)
    {
        var parts = id.Split('/');
        if (parts.Length < 3 || parts.Length > partNames.Length)
        {
            throw new ArgumentException($"'{id}' is not an X-Road {element} identifier", nameof(id));
        }

        var objectType = element == "service" ? "SERVICE" : parts.Length == 4 ? "SUBSYSTEM" : "MEMBER";
        var text = new StringBuilder($"<xrd:{element} id:objectType=\"{objectType}\">");
        for (var i = 0; i < parts.Length; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"<id:{partNames[i]}>{SecurityElement.Escape(parts[i])}</id:{partNames[i]}>");
        }

        return text.Append(CultureInfo.InvariantCulture, $"</xrd:{element}>").ToString();
    }

    /// <summary>Three buffers written one after the other, with a known length (no chunking).</summary>
    private sealed class Content : HttpContent
    {
        private readonly byte[] _before;
        private readonly byte[] _id;
        private readonly byte[] _after;

        public Content(byte[] before, byte[] id, byte[] after)
        {
            _before = before;
            _id = id;
            _after = after;
            Headers.ContentType = TextXml;
        }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync(_before).ConfigureAwait(false);
            await stream.WriteAsync(_id).ConfigureAwait(false);
            await stream.WriteAsync(_after).ConfigureAwait(false);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = _before.Length + _id.Length + _after.Length;
            return true;
        }
    }
}
