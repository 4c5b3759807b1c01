using System.Security.Cryptography;

namespace ExchangeGateway.TrustServices.Ca;

/// <summary>
/// Overrides for one issuance. Production-like defaults apply when a field is null; tests use the
/// overrides to make expired, future-dated or SHA-1-signed certificates on purpose.
/// </summary>
public sealed record IssueOptions
{
    /// <summary>Start of validity; default: now minus one minute (tolerates small skew).</summary>
    public DateTimeOffset? NotBefore { get; init; }

    /// <summary>End of validity; default: now plus <see cref="Validity"/>, capped at the issuer's notAfter.</summary>
    public DateTimeOffset? NotAfter { get; init; }

    /// <summary>Lifetime when <see cref="NotAfter"/> is not given; default one year.</summary>
    public TimeSpan? Validity { get; init; }

    /// <summary>Digest of the issuer's signature; default SHA-256. SHA-1 exists only for negative tests.</summary>
    public HashAlgorithmName? SignatureHash { get; init; }

    /// <summary>Serial number (big-endian, positive); default 16 random bytes.</summary>
    public byte[]? SerialNumber { get; init; }
}
