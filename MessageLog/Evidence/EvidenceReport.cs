namespace ExchangeGateway.MessageLog.Evidence;

/// <summary>What an offline verification found: every check made, and the verdict.</summary>
/// <param name="Subject">What was verified, e.g. "bundle of DEV/GOV/70000001/ss1 records 12, 13".</param>
/// <param name="Checks">The checks in the order they were made.</param>
public sealed record EvidenceReport(string Subject, IReadOnlyList<EvidenceCheck> Checks)
{
    /// <summary>True when there was at least one check and every check passed.</summary>
    public bool Passed => Checks.Count > 0 && Checks.All(c => c.Passed);

    /// <summary>The first failed check, or null.</summary>
    public EvidenceCheck? FirstFailure => Checks.FirstOrDefault(c => !c.Passed);
}
