using System.Security.Cryptography.X509Certificates;

namespace ExchangeGateway.Signer.Ocsp;

/// <summary>Settings of <see cref="OcspStatusManager"/>. Validated when the manager is built.</summary>
public sealed record OcspStatusManagerOptions
{
    /// <summary>Where the last verified response of each certificate is kept (<c>{sha256}.ocsp.der</c>), so a restart can staple at once.</summary>
    public required string StorageDirectory { get; init; }

    /// <summary>
    /// The responders for a certificate, given the certificate and its chain (issuer first). The host
    /// answers from global configuration (<see cref="OcspResponderSelection.FromConfiguration"/>); the
    /// default answers <see cref="OcspResponderSelection.None"/>, i.e. the certificate's AIA URL.
    /// </summary>
    public Func<X509Certificate2, IReadOnlyList<X509Certificate2>, OcspResponderSelection> Responders { get; init; } = (_, _) => OcspResponderSelection.None;

    /// <summary>
    /// The freshness limit now in force: global configuration's <c>OcspFreshness</c>. Asked on every
    /// check, so a new configuration applies at once. Default 20 minutes (X-Road's default).
    /// </summary>
    public Func<TimeSpan> Freshness { get; init; } = static () => TimeSpan.FromMinutes(20);

    /// <summary>
    /// The fraction of the freshness limit after thisUpdate at which a response is refreshed: 0.5 leaves
    /// half the limit for retries when the responder is down.
    /// </summary>
    public double RefreshFraction { get; init; } = 0.5;

    /// <summary>Tolerated disagreement between our clock and the responder's (thisUpdate slightly ahead).</summary>
    public TimeSpan ClockSkew { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The most one OCSP request may take.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The first retry delay after a failure; also the shortest time between two fetches of one certificate.</summary>
    public TimeSpan MinRetryDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The retry delay doubles per failure up to this.</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Send a fresh nonce (RFC 8954) and require it back, so a recorded response cannot be replayed at
    /// us. The dev responder echoes it; turn it off for a responder that serves pre-signed responses.
    /// </summary>
    public bool SendNonce { get; init; } = true;

    /// <summary>Throws when a setting is out of range (a configuration bug).</summary>
    public void Validate()
    {
        ArgumentException.ThrowIfNullOrEmpty(StorageDirectory);
        ArgumentNullException.ThrowIfNull(Responders);
        ArgumentNullException.ThrowIfNull(Freshness);
        if (RefreshFraction is <= 0 or >= 1 || double.IsNaN(RefreshFraction))
        {
            throw new ArgumentOutOfRangeException(nameof(RefreshFraction), RefreshFraction, "The refresh fraction must lie strictly between 0 and 1.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(ClockSkew, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(RequestTimeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(MinRetryDelay, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxRetryDelay, MinRetryDelay);
    }
}
