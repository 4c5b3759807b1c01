namespace ExchangeGateway.SecurityServer.Auditing;

/// <summary>A mismatch the integrity monitor found: what, where (the first bad item), and when.</summary>
/// <param name="Code">The stable code, <c>messagelog.integrity.{kind}</c> (e.g. <c>messagelog.integrity.leaf_mismatch</c>).</param>
/// <param name="Item">The first bad item: <c>record 17</c>, <c>checkpoint 32</c>, or <c>log</c>.</param>
/// <param name="Sequence">The bad record's sequence, when it is a record.</param>
/// <param name="CheckpointTreeSize">The bad checkpoint's tree size, when it is a checkpoint.</param>
/// <param name="Message">What is wrong, for people.</param>
/// <param name="DetectedAt">When this finding was first made.</param>
public sealed record IntegrityFinding(
    string Code,
    string Item,
    long? Sequence,
    long? CheckpointTreeSize,
    string Message,
    DateTimeOffset DetectedAt);
