using ExchangeGateway.Config.Serialization;

namespace ExchangeGateway.Config.Verification;

/// <summary>Limits of <see cref="ConfigurationVerifier"/>.</summary>
public sealed record ConfigurationVerifierOptions
{
    /// <summary>The largest content accepted; 10 MiB by default.</summary>
    public int MaxContentBytes { get; init; } = GlobalConfigurationSerializer.DefaultMaxBytes;

    /// <summary>How far generatedAt (and a signing certificate's notBefore) may lie in the future; 5 minutes by default.</summary>
    public TimeSpan ClockSkew { get; init; } = TimeSpan.FromMinutes(5);
}
