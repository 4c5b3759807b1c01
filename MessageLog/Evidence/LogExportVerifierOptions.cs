namespace ExchangeGateway.MessageLog.Evidence;

/// <summary>Options of <see cref="LogExportVerifier"/>.</summary>
public sealed record LogExportVerifierOptions
{
    /// <summary>The longest line read (<see cref="LogExportFormat.DefaultMaxLineBytes"/>).</summary>
    public int MaxLineBytes { get; init; } = LogExportFormat.DefaultMaxLineBytes;

    /// <summary>
    /// At most this many failed record checks are listed one by one (in file order); the rest are only
    /// counted in the per-category summary. The first failure is always listed.
    /// </summary>
    public int MaxListedRecordFailures { get; init; } = 100;

    /// <summary>The clock time-stamp tokens are checked against (a token dated in the future fails).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}
