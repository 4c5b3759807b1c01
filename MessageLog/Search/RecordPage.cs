namespace ExchangeGateway.MessageLog.Search;

/// <summary>One page of a <see cref="RecordQuery"/>.</summary>
/// <param name="Records">The matching records, oldest first.</param>
/// <param name="Next">The <see cref="RecordQuery.After"/> of the next page; null when this page is the last.</param>
public sealed record RecordPage(IReadOnlyList<RecordSummary> Records, long? Next);
