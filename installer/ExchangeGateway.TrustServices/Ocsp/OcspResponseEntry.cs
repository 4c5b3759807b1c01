using ExchangeGateway.Common.Crypto.Ocsp;

namespace ExchangeGateway.TrustServices.Ocsp;

/// <summary>One SingleResponse to put in a response (RFC 6960 §4.2.1).</summary>
/// <param name="CertificateId">The CertID answered for; echo the request's to satisfy strict clients.</param>
/// <param name="Status">Good or revoked; null means unknown.</param>
/// <param name="ThisUpdate">When the status is known to be correct.</param>
/// <param name="NextUpdate">When newer information will be available; null to omit.</param>
public sealed record OcspResponseEntry(
    OcspCertificateId CertificateId,
    CertificateStatusEntry? Status,
    DateTimeOffset ThisUpdate,
    DateTimeOffset? NextUpdate);
