namespace ExchangeGateway.Common.Crypto.Ocsp;

/// <summary>
/// A certificate's status as stated by a verified OCSP response (RFC 6960 §4.2.1 SingleResponse and
/// ResponseData.producedAt).
/// </summary>
/// <param name="Status">good, revoked or unknown.</param>
/// <param name="ThisUpdate">When the status was known to be correct.</param>
/// <param name="NextUpdate">When newer information will be available; null when the responder always has it.</param>
/// <param name="ProducedAt">When the responder signed the response.</param>
/// <param name="RevocationTime">When the certificate was revoked; null unless revoked.</param>
/// <param name="RevocationReason">Why, if the responder said so; null otherwise.</param>
/// <param name="ResponderSubject">The subject of the certificate whose key signed the response.</param>
public sealed record OcspStatus(
    OcspCertificateStatus Status,
    DateTimeOffset ThisUpdate,
    DateTimeOffset? NextUpdate,
    DateTimeOffset ProducedAt,
    DateTimeOffset? RevocationTime,
    OcspRevocationReason? RevocationReason,
    string ResponderSubject);
