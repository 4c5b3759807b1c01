using ExchangeGateway.Common.Crypto.Ocsp;

namespace ExchangeGateway.TrustServices.Ocsp;

/// <summary>
/// What the CA knows about one of its certificates: good, or revoked at a time for a reason. A
/// certificate the CA does not know has no entry (null), which a responder reports as unknown.
/// </summary>
public sealed record CertificateStatusEntry
{
    private CertificateStatusEntry(bool isRevoked, DateTimeOffset? revocationTime, OcspRevocationReason? reason)
    {
        IsRevoked = isRevoked;
        RevocationTime = revocationTime;
        RevocationReason = reason;
    }

    /// <summary>The certificate is not revoked.</summary>
    public static CertificateStatusEntry Good { get; } = new(false, null, null);

    /// <summary>True when revoked.</summary>
    public bool IsRevoked { get; }

    /// <summary>When it was revoked; null when good.</summary>
    public DateTimeOffset? RevocationTime { get; }

    /// <summary>Why, if stated; RFC 6960 §4.2.1 makes the reason optional.</summary>
    public OcspRevocationReason? RevocationReason { get; }

    /// <summary>A revoked certificate.</summary>
    public static CertificateStatusEntry Revoked(DateTimeOffset revocationTime, OcspRevocationReason? reason = null) =>
        new(true, revocationTime, reason);
}
