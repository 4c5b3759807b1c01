namespace ExchangeGateway.SecurityServer.Registry;

/// <summary>The kind of document a <see cref="ServiceDescription"/> holds. Spelled <c>wsdl</c> or <c>openapi3</c> in <c>serverconf.json</c>.</summary>
public enum ServiceDescriptionType
{
    /// <summary><c>wsdl</c>: a WSDL 1.1 document; each binding operation is a SOAP service.</summary>
    Wsdl,

    /// <summary><c>openapi3</c>: an OpenAPI 3.0 or 3.1 document; it describes one REST service and its endpoints.</summary>
    OpenApi3,
}
