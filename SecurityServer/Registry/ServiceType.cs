namespace ExchangeGateway.SecurityServer.Registry;

/// <summary>The protocol a local service speaks. Spelled in <c>serverconf.json</c> as <c>rest</c> or <c>soap</c>.</summary>
public enum ServiceType
{
    /// <summary><c>rest</c>: X-Road message protocol for REST (r1).</summary>
    Rest,

    /// <summary><c>soap</c>: X-Road message protocol 4.0 (SOAP 1.1); may carry a service version.</summary>
    Soap,
}
