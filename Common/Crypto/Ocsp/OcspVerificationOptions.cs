using System.Security.Cryptography.X509Certificates;
using ExchangeGateway.Common.Crypto.X509;

namespace ExchangeGateway.Common.Crypto.Ocsp;

/// <summary>
/// How strictly <see cref="OcspResponseVerifier"/> judges a response. An immutable snapshot: the
/// freshness limit, skew and trusted responders come from global configuration; the nonce, if any, from
/// the request just sent (use <c>with</c> to add it).
/// </summary>
public sealed record OcspVerificationOptions
{
    /// <summary>The defaults: freshness 20 minutes, skew 5 minutes, no nonce, no extra trusted responders.</summary>
    public static OcspVerificationOptions Default { get; } = new();

    /// <summary>
    /// The oldest thisUpdate accepted, measured back from the validation time. X-Road's
    /// ocspFreshnessSeconds; RFC 6960 §4.2.2.1 leaves the choice to local policy.
    /// </summary>
    public TimeSpan FreshnessLimit { get; init; } = TimeSpan.FromMinutes(20);

    /// <summary>
    /// Tolerance for clocks that disagree: a thisUpdate up to this far ahead is accepted, and a
    /// nextUpdate up to this far behind.
    /// </summary>
    public TimeSpan ClockSkew { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The nonce sent in the request (RFC 6960 §4.4.1); empty when none was sent and none is checked.</summary>
    public ReadOnlyMemory<byte> ExpectedNonce { get; init; }

    /// <summary>
    /// Responder certificates trusted outright by configuration (RFC 6960 §4.2.2.2, "a Trusted
    /// Responder whose public key is trusted by the requester"), in addition to the issuing CA and its
    /// delegated responders.
    /// </summary>
    public IReadOnlyList<X509Certificate2> TrustedResponders { get; init; } = [];

    /// <summary>
    /// Where certificates embedded in responses are parsed once and kept (loading one costs about
    /// 250 µs); null parses them on every call. Certificates from the cache are shared, never disposed here.
    /// </summary>
    public CertificateCache? Certificates { get; init; }

    /// <summary>Throws when a setting is out of range (a configuration bug, not bad input).</summary>
    public void Validate()
    {
        if (FreshnessLimit <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(FreshnessLimit), FreshnessLimit, "The freshness limit must be positive.");
        }

        if (ClockSkew < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(ClockSkew), ClockSkew, "The clock skew must not be negative.");
        }

        ArgumentNullException.ThrowIfNull(TrustedResponders);
    }
}
