using System.Security;
using System.Text;

namespace ExchangeGateway.SystemTests.Support;

/// <summary>X-Road 4.0 SOAP requests to the quickstart's SOAP sample, as a client information system writes them.</summary>
internal static class XRoadSoap
{
    public const string EnvelopeNamespace = "http://schemas.xmlsoap.org/soap/envelope/";
    public const string XRoadNamespace = "http://x-road.eu/xsd/xroad.xsd";
    public const string IdentifiersNamespace = "http://x-road.eu/xsd/identifiers";
    public const string RepresentationNamespace = "http://x-road.eu/xsd/representation.xsd";
    public const string EchoNamespace = "http://quickstart.exchangegateway.dev/echo";
    public const string Consumer = "DEV/GOV/70000001/consumer";
    public const string Provider = "DEV/ORG/70000002/provider";

    /// <summary>xrd:client for INSTANCE/CLASS/MEMBER[/SUBSYSTEM].</summary>
    public static string Client(string id)
    {
        var p = id.Split('/');
        return $"<xrd:client id:objectType=\"{(p.Length == 4 ? "SUBSYSTEM" : "MEMBER")}\">{Part("xRoadInstance", p[0])}{Part("memberClass", p[1])}{Part("memberCode", p[2])}{(p.Length == 4 ? Part("subsystemCode", p[3]) : string.Empty)}</xrd:client>";
    }

    /// <summary>xrd:service for SUBSYSTEM-ID/CODE[/VERSION].</summary>
    public static string Service(string subsystem, string code, string? version)
    {
        var p = subsystem.Split('/');
        return $"<xrd:service id:objectType=\"SERVICE\">{Part("xRoadInstance", p[0])}{Part("memberClass", p[1])}{Part("memberCode", p[2])}{Part("subsystemCode", p[3])}{Part("serviceCode", code)}{(version is null ? string.Empty : Part("serviceVersion", version))}</xrd:service>";
    }

    public static string Field(string name, string value) => $"<xrd:{name}>{SecurityElement.Escape(value)}</xrd:{name}>";

    /// <summary>A whole request: the header fields as given (in that order), then the body's wrapper element.</summary>
    public static byte[] Request(IEnumerable<string> headerFields, string body) => Encoding.UTF8.GetBytes(
        $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <soapenv:Envelope xmlns:soapenv="{EnvelopeNamespace}" xmlns:xrd="{XRoadNamespace}" xmlns:id="{IdentifiersNamespace}" xmlns:repr="{RepresentationNamespace}" xmlns:ech="{EchoNamespace}">
          <soapenv:Header>
            {string.Join("\n    ", headerFields)}
          </soapenv:Header>
          <soapenv:Body>{body}</soapenv:Body>
        </soapenv:Envelope>
        """);

    /// <summary>The usual four mandatory fields, consumer to the provider's <paramref name="code"/> v1.</summary>
    public static string[] Header(string code, string messageId) =>
        [Client(Consumer), Service(Provider, code, "v1"), Field("id", messageId), Field("protocolVersion", "4.0")];

    public static string Hello(string name) => $"<ech:helloService><ech:name>{SecurityElement.Escape(name)}</ech:name></ech:helloService>";

    public static string EchoData(string data) => $"<ech:echoData><ech:data>{SecurityElement.Escape(data)}</ech:data></ech:echoData>";

    private static string Part(string name, string value) => $"<id:{name}>{SecurityElement.Escape(value)}</id:{name}>";
}
