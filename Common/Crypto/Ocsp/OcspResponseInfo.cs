namespace ExchangeGateway.Common.Crypto.Ocsp;

/// <summary>
/// An OCSP response as read, unverified, for display. Fields that only a successful basic response
/// carries are null otherwise.
/// </summary>
/// <param name="ResponseStatus">The OCSPResponseStatus.</param>
/// <param name="ResponseType">The responseType OID; null when the response has no responseBytes.</param>
/// <param name="ProducedAt">When the responder says it signed the response.</param>
/// <param name="ResponderId">"byName: CN=..." or "byKey: HEX".</param>
/// <param name="SignatureAlgorithmOid">The OID of the response signature algorithm.</param>
/// <param name="Responses">The SingleResponses in order.</param>
/// <param name="Nonce">The nonce extension's value, if present.</param>
/// <param name="CertificateSubjects">Subjects of the certificates included in the response.</param>
public sealed record OcspResponseInfo(
    OcspResponseStatus ResponseStatus,
    string? ResponseType,
    DateTimeOffset? ProducedAt,
    string? ResponderId,
    string? SignatureAlgorithmOid,
    IReadOnlyList<OcspSingleResponseInfo> Responses,
    ReadOnlyMemory<byte>? Nonce,
    IReadOnlyList<string> CertificateSubjects);
