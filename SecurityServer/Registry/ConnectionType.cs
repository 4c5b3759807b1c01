namespace ExchangeGateway.SecurityServer.Registry;

/// <summary>
/// How a local information system may connect to the client proxy on behalf of a client (X-Road's
/// "internal servers" connection type). Spelled in <c>serverconf.json</c> as <c>http</c>, <c>https</c> and
/// <c>https-certificate</c>.
/// </summary>
public enum ConnectionType
{
    /// <summary><c>http</c>: plain HTTP is allowed, and so is HTTPS (X-Road NOSSL).</summary>
    Http,

    /// <summary><c>https</c>: HTTPS is required; a client certificate is neither required nor checked (X-Road SSLNOAUTH).</summary>
    Https,

    /// <summary>
    /// <c>https-certificate</c>: HTTPS with a client certificate whose SHA-256 is registered for the client
    /// (X-Road SSLAUTH).
    /// </summary>
    HttpsCertificate,
}
