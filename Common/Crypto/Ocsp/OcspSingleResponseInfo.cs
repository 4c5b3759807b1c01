namespace ExchangeGateway.Common.Crypto.Ocsp;

/// <summary>One unverified SingleResponse (RFC 6960 §4.2.1), for display.</summary>
/// <param name="CertificateId">The CertID the status is about.</param>
/// <param name="Status">good, revoked or unknown.</param>
/// <param name="ThisUpdate">thisUpdate.</param>
/// <param name="NextUpdate">nextUpdate, if present.</param>
/// <param name="RevocationTime">The revocation time when revoked.</param>
/// <param name="RevocationReason">The revocation reason, if given.</param>
public sealed record OcspSingleResponseInfo(
    OcspCertificateId CertificateId,
    OcspCertificateStatus Status,
    DateTimeOffset ThisUpdate,
    DateTimeOffset? NextUpdate,
    DateTimeOffset? RevocationTime,
    OcspRevocationReason? RevocationReason);
