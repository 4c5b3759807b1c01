using ExchangeGateway.Config.Anchors;
using ExchangeGateway.Config.Model;
using ExchangeGateway.Config.Serialization;
using ExchangeGateway.Config.Signing;

namespace ExchangeGateway.Config.Client;

/// <summary>Settings of <see cref="ConfigurationClient"/>; validated when the client is built.</summary>
public sealed record ConfigurationClientOptions
{
    /// <summary>Where the last good configuration is kept (created if missing).</summary>
    public required string StorageDirectory { get; init; }

    /// <summary>Time between successful polls; null to follow the configuration's refresh hint (60 s before one is held).</summary>
    public TimeSpan? PollInterval { get; init; }

    /// <summary>Total time allowed for one download (headers and body), measured on the client's TimeProvider.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The first delay after a failure; doubled per consecutive failure.</summary>
    public TimeSpan MinRetryDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The cap of the back-off.</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The largest configuration content accepted; 10 MiB by default.</summary>
    public int MaxContentBytes { get; init; } = GlobalConfigurationSerializer.DefaultMaxBytes;

    /// <summary>How far generatedAt and certificate notBefore may lie in the future.</summary>
    public TimeSpan ClockSkew { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Called each time the client swaps in a configuration it verified (the persisted copy at start, or a download
    /// with a new serial), with its signed form and the anchor that verified it; the security server keeps its
    /// history of configurations with it. Runs inside the client's lock and must not throw.
    /// </summary>
    public Action<SignedConfiguration, GlobalConfiguration, ConfigurationAnchor>? Verified { get; init; }

    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(StorageDirectory);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(RequestTimeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(MinRetryDelay, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxRetryDelay, MinRetryDelay);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxContentBytes, 1024);
        ArgumentOutOfRangeException.ThrowIfLessThan(ClockSkew, TimeSpan.Zero);
        if (PollInterval is { } poll)
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(poll, TimeSpan.Zero);
        }
    }
}
