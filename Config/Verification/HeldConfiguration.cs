using ExchangeGateway.Config.Model;
using ExchangeGateway.Config.Signing;

namespace ExchangeGateway.Config.Verification;

/// <summary>What a verifier compares a new configuration with: the serial and exact bytes already held.</summary>
public sealed record HeldConfiguration
{
    /// <summary>Creates the held state.</summary>
    public HeldConfiguration(long serial, ReadOnlyMemory<byte> content)
    {
        Serial = serial;
        Content = content;
    }

    /// <summary>The held serial.</summary>
    public long Serial { get; init; }

    /// <summary>The held canonical content bytes.</summary>
    public ReadOnlyMemory<byte> Content { get; init => field = Frozen.Bytes(value); }

    /// <summary>The held state of a verified configuration.</summary>
    public static HeldConfiguration From(GlobalConfiguration configuration, SignedConfiguration signed)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(signed);
        return new HeldConfiguration(configuration.Serial, signed.Content);
    }
}
