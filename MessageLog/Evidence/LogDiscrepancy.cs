using ExchangeGateway.MessageLog.Records;

namespace ExchangeGateway.MessageLog.Evidence;

/// <summary>One discrepancy between a client-side and a provider-side log.</summary>
/// <param name="Kind">What is wrong.</param>
/// <param name="RequestId">The exchange.</param>
/// <param name="Message">Request or response.</param>
/// <param name="MessageId">The exchange's message id, as logged where it was found.</param>
/// <param name="ClientSequence">The record's sequence in the client-side log, when it is there.</param>
/// <param name="ProviderSequence">The record's sequence in the provider-side log (or the sequence a receipt names), when there is one.</param>
/// <param name="Description">What was found, for a human.</param>
public sealed record LogDiscrepancy(
    LogDiscrepancyKind Kind,
    Guid RequestId,
    RecordKind Message,
    string MessageId,
    long? ClientSequence,
    long? ProviderSequence,
    string Description);
