namespace ExchangeGateway.MessageLog.Evidence;

/// <summary>What <see cref="LogReconciliation.Compare"/> found: the report, and each discrepancy as a value.</summary>
/// <param name="Report">Every check made, one failed check per discrepancy; passes when the logs agree.</param>
/// <param name="Discrepancies">The discrepancies, in the order they are reported.</param>
public sealed record LogReconciliationResult(EvidenceReport Report, IReadOnlyList<LogDiscrepancy> Discrepancies);
