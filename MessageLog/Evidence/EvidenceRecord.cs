namespace ExchangeGateway.MessageLog.Evidence;

/// <summary>One logged message in a bundle: its leaf data, its body if kept, and its proofs.</summary>
/// <param name="Sequence">The record's sequence in the server's log.</param>
/// <param name="Canonical">The record's canonical bytes (<see cref="Records.RecordEncoding"/>): the leaf data.</param>
/// <param name="Body">The body when <paramref name="BodyState"/> is <see cref="EvidenceBodyState.Present"/>, else null.</param>
/// <param name="BodyState">What became of the body.</param>
/// <param name="SignedContent">
/// The bytes the message's batch CMS signature covers (<c>BatchRoot.ToSignedContent</c>, recomputed from the
/// head and the batch path), carried so that OpenSSL can check the CMS; empty for an error record.
/// </param>
/// <param name="Inclusion">The proof that the record is in the bundle's checkpoint.</param>
/// <param name="Fields">A readable copy of the fields, or null; checked against <paramref name="Canonical"/>.</param>
public sealed record EvidenceRecord(
    long Sequence,
    ReadOnlyMemory<byte> Canonical,
    ReadOnlyMemory<byte>? Body,
    EvidenceBodyState BodyState,
    ReadOnlyMemory<byte> SignedContent,
    EvidenceInclusion Inclusion,
    EvidenceRecordFields? Fields);
