namespace ExchangeGateway.SecurityServer.Auditing;

/// <summary>What the integrity monitor currently says about the message log.</summary>
public enum IntegrityState
{
    /// <summary>No run has completed yet (or every run so far was skipped).</summary>
    NotRun = 0,

    /// <summary>Everything verified so far is intact.</summary>
    Ok,

    /// <summary>A mismatch was found; it stays so until a full re-verification passes.</summary>
    Failed,
}
