namespace ExchangeGateway.Common.Crypto.Ocsp;

/// <summary>One SingleResponse (RFC 6960 §4.2.1) as plain values.</summary>
internal sealed class ParsedSingleResponse
{
    public required OcspCertificateId CertificateId { get; init; }

    public required OcspCertificateStatus Status { get; init; }

    public required DateTimeOffset ThisUpdate { get; init; }

    public DateTimeOffset? NextUpdate { get; init; }

    public DateTimeOffset? RevocationTime { get; init; }

    public OcspRevocationReason? RevocationReason { get; init; }
}
