using ExchangeGateway.MessageLog.Records;

namespace ExchangeGateway.MessageLog.Storage;

/// <summary>A record read back by <see cref="MessageLogStore.Read"/>, from the live log or from its archive.</summary>
/// <param name="Logged">The record: every field its leaf covers, and the body when <paramref name="BodyState"/> is <see cref="RecordBodyState.Present"/>.</param>
/// <param name="BodyState">Whether the body is here, was never logged, was erased, or is sealed in an encrypted archive.</param>
/// <param name="ArchiveId">The archive the record was read from; null for a record still in the live log.</param>
public sealed record StoredRecord(LoggedRecord Logged, RecordBodyState BodyState, long? ArchiveId);
