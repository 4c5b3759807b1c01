namespace ExchangeGateway.SecurityServer.Registry;

/// <summary>Why a local information system may not act for a client (<see cref="IsAuthorization.Check"/>).</summary>
public enum IsAuthorizationFailure
{
    /// <summary>The client requires HTTPS (<c>https</c> or <c>https-certificate</c>) and the request came over plain HTTP.</summary>
    PlainHttpNotAllowed,

    /// <summary>The client requires a TLS client certificate and none was presented.</summary>
    MissingCertificate,

    /// <summary>The client requires a registered TLS client certificate and has none registered.</summary>
    NoCertificateRegistered,

    /// <summary>The presented TLS client certificate is not one registered for the client.</summary>
    CertificateNotRegistered,
}
