using System.Text;
using BenchmarkDotNet.Attributes;
using ExchangeGateway.Common.Results;
using ExchangeGateway.Common.Xml;

namespace ExchangeGateway.Benchmarks;

/// <summary>
/// What an XML attack costs the gateway: <see cref="SafeXml"/> refusing a billion-laughs document (at the
/// DTD, before any entity is declared) and a 40,000-deep document (at the depth cap, having read no further),
/// beside reading a small, valid SOAP request in full. The aim is well under a millisecond for each refusal
/// (issue #5). Run with <c>--filter '*XmlBenchmarks*' --job short</c>.
/// </summary>
[MemoryDiagnoser]
public class XmlBenchmarks
{
    private const int DeepLevels = 40_000;

    private readonly byte[] _billionLaughs = Encoding.UTF8.GetBytes(
        """
        <?xml version="1.0"?>
        <!DOCTYPE lolz [
          <!ENTITY lol "lol">
          <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
          <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
          <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
          <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
          <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
          <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
          <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
          <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
          <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
        ]>
        <lolz>&lol9;</lolz>
        """);

    private readonly byte[] _deep = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("<a>", DeepLevels)) + string.Concat(Enumerable.Repeat("</a>", DeepLevels)));

    private readonly byte[] _soap = Encoding.UTF8.GetBytes(
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xrd="http://x-road.eu/xsd/xroad.xsd" xmlns:id="http://x-road.eu/xsd/identifiers">
          <soapenv:Header>
            <xrd:client id:objectType="SUBSYSTEM"><id:xRoadInstance>DEV</id:xRoadInstance><id:memberClass>GOV</id:memberClass><id:memberCode>70000001</id:memberCode><id:subsystemCode>consumer</id:subsystemCode></xrd:client>
            <xrd:service id:objectType="SERVICE"><id:xRoadInstance>DEV</id:xRoadInstance><id:memberClass>ORG</id:memberClass><id:memberCode>70000002</id:memberCode><id:subsystemCode>provider</id:subsystemCode><id:serviceCode>helloService</id:serviceCode><id:serviceVersion>v1</id:serviceVersion></xrd:service>
            <xrd:id>4894e35d-bf0f-44a6-867a-8e51f1daa7e0</xrd:id>
            <xrd:protocolVersion>4.0</xrd:protocolVersion>
          </soapenv:Header>
          <soapenv:Body><ech:helloService xmlns:ech="http://quickstart.exchangegateway.dev/echo"><ech:name>World</ech:name></ech:helloService></soapenv:Body>
        </soapenv:Envelope>
        """);

    /// <summary>Refused at the <c>&lt;!DOCTYPE</c>: no entity declared, none expanded.</summary>
    [Benchmark]
    public ParseResult<long> BillionLaughs() => Expect(SafeXml.Read(_billionLaughs, XmlLimits.Default, ReadAll), fails: true);

    /// <summary>Refused at depth 65 of 40,000.</summary>
    [Benchmark]
    public ParseResult<long> Deep40000() => Expect(SafeXml.Read(_deep, XmlLimits.Default, ReadAll), fails: true);

    /// <summary>The yardstick: a valid 1 KiB X-Road request read node by node to its end.</summary>
    [Benchmark(Baseline = true)]
    public ParseResult<long> ValidSoapRequest() => Expect(SafeXml.Read(_soap, XmlLimits.Default, ReadAll), fails: false);

    private static ParseResult<long> ReadAll(System.Xml.XmlReader reader)
    {
        long nodes = 0;
        while (reader.Read())
        {
            nodes++;
        }

        return ParseResult<long>.Ok(nodes);
    }

    private static ParseResult<long> Expect(ParseResult<long> result, bool fails) =>
        result.Success != fails ? result : throw new InvalidOperationException($"Unexpected result: {result}");
}
