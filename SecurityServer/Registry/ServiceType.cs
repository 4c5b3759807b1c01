namespace ExchangeGateway.SecurityServer.Registry;

/// <summary>The protocol a local service speaks. Spelled in <c>serverconf.json</c> as <c>rest</c>; <c>soap</c> comes with issue #5.</summary>
public enum ServiceType
{
    /// <summary><c>rest</c>: X-Road message protocol for REST (r1).</summary>
    Rest,
}
