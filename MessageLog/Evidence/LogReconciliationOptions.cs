namespace ExchangeGateway.MessageLog.Evidence;

/// <summary>Options of <see cref="LogReconciliation"/>.</summary>
public sealed record LogReconciliationOptions
{
    /// <summary>
    /// How far inside both exports' time ranges a message must lie to be expected on the other side: it covers
    /// the time between the two servers logging one message (network, commit) and their clocks' difference.
    /// A message logged on one side within this margin of either export's edge may have been logged on the
    /// other side just outside that export, so its absence is not reported. One minute by default.
    /// </summary>
    public TimeSpan Margin { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>The longest line read (<see cref="LogExportFormat.DefaultMaxLineBytes"/>).</summary>
    public int MaxLineBytes { get; init; } = LogExportFormat.DefaultMaxLineBytes;
}
