namespace ExchangeGateway.Common.Crypto.Merkle;

/// <summary>
/// Where <see cref="MerkleProofBuilder"/> reads stored hashes of complete subtrees: the in-memory
/// <see cref="MerkleTree"/>, or a database table of tree nodes in the message log.
/// </summary>
/// <remarks>
/// A complete subtree at (<c>level</c>, <c>index</c>) is the perfect binary tree over leaves
/// [index·2^level, (index+1)·2^level); level 0 holds the leaf hashes. Because the tree is append-only,
/// such a hash never changes once its last leaf exists, so it can be stored when it is first computed.
/// The builder asks only for subtrees whose leaves all lie within the tree size it was given.
/// </remarks>
public interface ISubtreeHashSource
{
    /// <summary>The hash of the complete subtree at <paramref name="level"/> and <paramref name="index"/>.</summary>
    MerkleHash GetSubtreeHash(int level, long index);
}
