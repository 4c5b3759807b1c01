namespace ExchangeGateway.MessageLog.Evidence;

/// <summary>Why <see cref="LogExportWriter"/> wrote nothing.</summary>
public enum LogExportFailure
{
    /// <summary>The export was written.</summary>
    None = 0,

    /// <summary>A size is negative, the upper size is 0, or the lower is above the upper.</summary>
    InvalidRange,

    /// <summary>A size that is not a stored checkpoint (the empty tree, size 0, needs none).</summary>
    NotACheckpoint,

    /// <summary>The stored log under the upper checkpoint is broken (a missing record, a bad frontier): run the verifier.</summary>
    Inconsistent,

    /// <summary>A record in the range is archived and no way to read archived records was given.</summary>
    RecordUnavailable,
}
