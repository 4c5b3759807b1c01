namespace ExchangeGateway.MessageLog.Evidence;

/// <summary>One check an offline verifier made, in the order it made them.</summary>
/// <param name="Name">A stable dotted name, e.g. <c>record.12.signature</c> or <c>checkpoint.timestamp</c>.</param>
/// <param name="Passed">Whether it held.</param>
/// <param name="Message">What was checked and found, for a human; on failure it names the first bad item.</param>
/// <param name="Item">The record sequence or tree size the check is about, when it is about one.</param>
public sealed record EvidenceCheck(string Name, bool Passed, string Message, long? Item = null);
