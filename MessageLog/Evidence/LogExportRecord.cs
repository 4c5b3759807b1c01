namespace ExchangeGateway.MessageLog.Evidence;

/// <summary>One record line of an export.</summary>
/// <param name="Sequence">The sequence the line claims (the canonical bytes carry it too, and must agree).</param>
/// <param name="Canonical">The record's canonical bytes (<see cref="Records.RecordEncoding"/>): the leaf data.</param>
/// <param name="Body">The body when <paramref name="BodyState"/> is <see cref="EvidenceBodyState.Present"/>, else null.</param>
/// <param name="BodyState">Whether the body is exported, was never logged, or was erased.</param>
public sealed record LogExportRecord(long Sequence, ReadOnlyMemory<byte> Canonical, ReadOnlyMemory<byte>? Body, EvidenceBodyState BodyState);
