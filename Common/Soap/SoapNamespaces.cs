namespace ExchangeGateway.Common.Soap;

/// <summary>The namespaces of an X-Road 4.0 SOAP message.</summary>
public static class SoapNamespaces
{
    /// <summary>SOAP 1.1 envelope (<c>SOAP-ENV</c>); X-Road 4.0 uses SOAP 1.1 only.</summary>
    public const string Envelope11 = "http://schemas.xmlsoap.org/soap/envelope/";

    /// <summary>X-Road header fields (<c>xrd</c>).</summary>
    public const string XRoad = "http://x-road.eu/xsd/xroad.xsd";

    /// <summary>X-Road identifiers (<c>id</c>).</summary>
    public const string Identifiers = "http://x-road.eu/xsd/identifiers";

    /// <summary>The represented-party header extension (<c>repr</c>).</summary>
    public const string RepresentedParty = "http://x-road.eu/xsd/representation.xsd";

    /// <summary>XOP, the reference from an MTOM SOAP part to an attachment (<c>xop:Include</c>).</summary>
    public const string Xop = "http://www.w3.org/2004/08/xop/include";
}
