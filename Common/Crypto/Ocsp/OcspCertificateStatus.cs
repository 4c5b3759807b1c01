namespace ExchangeGateway.Common.Crypto.Ocsp;

/// <summary>The CertStatus choice of a SingleResponse (RFC 6960 §4.2.1).</summary>
public enum OcspCertificateStatus
{
    /// <summary>Not revoked at the time of the response (<c>good [0]</c>).</summary>
    Good = 0,

    /// <summary>Revoked, temporarily or permanently (<c>revoked [1]</c>).</summary>
    Revoked = 1,

    /// <summary>The responder does not know the certificate (<c>unknown [2]</c>).</summary>
    Unknown = 2,
}
