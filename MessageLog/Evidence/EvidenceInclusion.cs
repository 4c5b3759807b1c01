using ExchangeGateway.Common.Crypto.Merkle;

namespace ExchangeGateway.MessageLog.Evidence;

/// <summary>A record's RFC 6962 inclusion proof in the bundle's checkpoint.</summary>
/// <param name="TreeSize">The checkpoint's tree size.</param>
/// <param name="LeafIndex">The record's leaf index: its sequence − 1.</param>
/// <param name="Path">The audit path, nearest the leaf first.</param>
public sealed record EvidenceInclusion(long TreeSize, long LeafIndex, IReadOnlyList<MerkleHash> Path);
