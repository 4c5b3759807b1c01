namespace ExchangeGateway.Common.Crypto.Ocsp;

/// <summary>OCSPResponseStatus (RFC 6960 §4.2.1). Only <see cref="Successful"/> carries response bytes.</summary>
public enum OcspResponseStatus
{
    /// <summary>Response has valid confirmations.</summary>
    Successful = 0,

    /// <summary>Illegal confirmation request.</summary>
    MalformedRequest = 1,

    /// <summary>Internal error in issuer.</summary>
    InternalError = 2,

    /// <summary>Try again later.</summary>
    TryLater = 3,

    /// <summary>Must sign the request (value 4 is not used).</summary>
    SigRequired = 5,

    /// <summary>Request unauthorized.</summary>
    Unauthorized = 6,
}
