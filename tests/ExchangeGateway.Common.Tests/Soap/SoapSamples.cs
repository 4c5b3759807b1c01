using System.Text;

namespace ExchangeGateway.Common.Tests.Soap;

/// <summary>Builds X-Road 4.0 SOAP messages as text, field by field, so tests can drop, repeat or alter one.</summary>
internal static class SoapSamples
{
    public const string Env = "http://schemas.xmlsoap.org/soap/envelope/";
    public const string Xrd = "http://x-road.eu/xsd/xroad.xsd";
    public const string Id = "http://x-road.eu/xsd/identifiers";
    public const string Repr = "http://x-road.eu/xsd/representation.xsd";

    public const string Namespaces =
        $"xmlns:SOAP-ENV=\"{Env}\" xmlns:xrd=\"{Xrd}\" xmlns:id=\"{Id}\" xmlns:repr=\"{Repr}\"";

    public const string Client =
        "<xrd:client id:objectType=\"SUBSYSTEM\"><id:xRoadInstance>EE</id:xRoadInstance><id:memberClass>GOV</id:memberClass>" +
        "<id:memberCode>70000002</id:memberCode><id:subsystemCode>clinic</id:subsystemCode></xrd:client>";

    public const string Service =
        "<xrd:service id:objectType=\"SERVICE\"><id:xRoadInstance>EE</id:xRoadInstance><id:memberClass>GOV</id:memberClass>" +
        "<id:memberCode>70000001</id:memberCode><id:subsystemCode>hospital</id:subsystemCode>" +
        "<id:serviceCode>getPatient</id:serviceCode><id:serviceVersion>v1</id:serviceVersion></xrd:service>";

    public const string MessageId = "<xrd:id>4894e35d-bf0f-44a6-867a-8e51f1daa7e0</xrd:id>";
    public const string UserId = "<xrd:userId>EE12345678901</xrd:userId>";
    public const string Issue = "<xrd:issue>case-12</xrd:issue>";
    public const string ProtocolVersion = "<xrd:protocolVersion>4.0</xrd:protocolVersion>";

    public const string SecurityServer =
        "<xrd:securityServer id:objectType=\"SERVER\"><id:xRoadInstance>EE</id:xRoadInstance><id:memberClass>GOV</id:memberClass>" +
        "<id:memberCode>70000001</id:memberCode><id:serverCode>ss1</id:serverCode></xrd:securityServer>";

    public const string RepresentedParty =
        "<repr:representedParty><repr:partyClass>COM</repr:partyClass><repr:partyCode>12345</repr:partyCode></repr:representedParty>";

    public const string RequestHash =
        "<xrd:requestHash algorithmId=\"http://www.w3.org/2001/04/xmlenc#sha512\">" +
        "yG0hl0ZTBbPv3qQJ5ZAn7iq0t0Hd1Yb8Z1QRe0ez7k1Nv9JfW6q/0Xtq7UVbM7rJ2m6d3H0m3q0r4Lw3r5YxKg==</xrd:requestHash>";

    public const string Body = "<prod:getPatient xmlns:prod=\"http://hospital.example/prod\"><prod:patientId>1</prod:patientId></prod:getPatient>";

    public const string ResponseBody = "<prod:getPatientResponse xmlns:prod=\"http://hospital.example/prod\"><prod:name>A</prod:name></prod:getPatientResponse>";

    /// <summary>The fields of a full request, by local name, in the order X-Road's examples use.</summary>
    public static readonly (string Name, string Xml)[] AllFields =
    [
        ("client", Client), ("service", Service), ("securityServer", SecurityServer), ("id", MessageId),
        ("userId", UserId), ("issue", Issue), ("protocolVersion", ProtocolVersion), ("representedParty", RepresentedParty),
    ];

    public static string Request(string? header = null, string? body = null) => Envelope(header ?? RequestHeader(), body ?? Body);

    public static string Response(string? header = null, string? body = null) =>
        Envelope(header ?? RequestHeader() + RequestHash, body ?? ResponseBody);

    public static string RequestHeader() => Client + Service + MessageId + UserId + Issue + ProtocolVersion;

    public static string Envelope(string header, string body) =>
        $"<SOAP-ENV:Envelope {Namespaces}><SOAP-ENV:Header>{header}</SOAP-ENV:Header><SOAP-ENV:Body>{body}</SOAP-ENV:Body></SOAP-ENV:Envelope>";

    public static string Fault(string code, string text, string header = "") =>
        $"<SOAP-ENV:Envelope {Namespaces}>{(header.Length > 0 ? $"<SOAP-ENV:Header>{header}</SOAP-ENV:Header>" : "")}" +
        $"<SOAP-ENV:Body><SOAP-ENV:Fault><faultcode>{code}</faultcode><faultstring>{text}</faultstring>" +
        "<detail><faultDetail>b2c1</faultDetail></detail></SOAP-ENV:Fault></SOAP-ENV:Body></SOAP-ENV:Envelope>";

    public static ReadOnlyMemory<byte> Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
