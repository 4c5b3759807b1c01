using ExchangeGateway.Common.Crypto.Merkle;

namespace ExchangeGateway.MessageLog.Storage;

/// <summary>
/// That record <see cref="Sequence"/> (leaf <see cref="LeafIndex"/> = sequence − 1) is in the tree of
/// <see cref="Checkpoint"/>: RFC 6962 audit path, nearest the leaf first.
/// </summary>
/// <param name="Sequence">The record's sequence (1-based).</param>
/// <param name="LeafHash">The record's stored leaf hash.</param>
/// <param name="Proof">The audit path.</param>
/// <param name="Checkpoint">The signed checkpoint whose root the path leads to.</param>
public sealed record InclusionProofResult(long Sequence, MerkleHash LeafHash, IReadOnlyList<MerkleHash> Proof, StoredCheckpoint Checkpoint)
{
    /// <summary>The leaf index in the tree: records are numbered from 1, leaves from 0.</summary>
    public long LeafIndex => Sequence - 1;
}
