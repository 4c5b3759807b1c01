namespace ExchangeGateway.MessageLog.Archiving;

/// <summary>What one <see cref="MessageLogArchiver.RunOnceAsync"/> pass did, and why it stopped if it stopped early.</summary>
public sealed record RetentionRunResult
{
    /// <summary>True when the pass finished; false when it stopped at <see cref="Failure"/> (what it did before stays done).</summary>
    public bool IsSuccess => Failure is null;

    /// <summary>When the pass started (the clock the cut-offs are measured from).</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>Bodies erased from the live log by body retention.</summary>
    public long BodiesErased { get; init; }

    /// <summary>Records moved into archives.</summary>
    public long RecordsArchived { get; init; }

    /// <summary>The archive files written, in order.</summary>
    public IReadOnlyList<ArchiveSummary> Archives { get; init; } = [];

    /// <summary>The last archived record after the pass; 0 when nothing is archived.</summary>
    public long ArchivedThrough { get; init; }

    /// <summary>The newest time-stamped checkpoint's size: nothing above it is archived yet.</summary>
    public long StampedTreeSize { get; init; }

    /// <summary>Why the pass stopped early (operator text, never record content); null when it finished.</summary>
    public string? Failure { get; init; }
}
