using ExchangeGateway.Common.Identifiers;

namespace ExchangeGateway.MessageLog.Integration;

/// <summary>Settings of a <see cref="LogIntegrator"/>; validated when it is built.</summary>
public sealed record LogIntegratorOptions
{
    /// <summary>The security server whose log this is; named in every checkpoint.</summary>
    public required SecurityServerId ServerId { get; init; }

    /// <summary>How often a checkpoint is made when the tree grew; default 1 s.</summary>
    public TimeSpan CheckpointInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between attempts while time-stamping fails (the wait doubles from <see cref="CheckpointInterval"/>); default 10 s.</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long one TSA request may take; default 10 s.</summary>
    public TimeSpan TsaTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>A TSA policy to ask for, or null for the TSA's default.</summary>
    public string? TsaPolicyOid { get; init; }

    /// <summary>Tolerance for a TSA certificate's notBefore and the token's genTime running ahead of our clock; default 5 min.</summary>
    public TimeSpan ClockSkew { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Leaf hashes read per query while integrating; default 65,536.</summary>
    public int ReadBatch { get; init; } = 65_536;

    /// <summary>Throws when a value is out of range.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(ServerId, nameof(ServerId));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(CheckpointInterval, TimeSpan.Zero, nameof(CheckpointInterval));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxRetryDelay, CheckpointInterval, nameof(MaxRetryDelay));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(TsaTimeout, TimeSpan.Zero, nameof(TsaTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThan(ClockSkew, TimeSpan.Zero, nameof(ClockSkew));
        ArgumentOutOfRangeException.ThrowIfLessThan(ReadBatch, 1, nameof(ReadBatch));
    }
}
