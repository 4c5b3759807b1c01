using System.Runtime.CompilerServices;

namespace ExchangeGateway.Common.Crypto.Merkle;

/// <summary>
/// An append-only RFC 6962 Merkle tree held in memory, with roots and proofs for its current size and any
/// earlier size. Used where a tree is small and short-lived (a batch of signatures) and as the model for
/// the message log's stored tree.
/// </summary>
/// <remarks>
/// It keeps the hash of every complete subtree, one list per level (level 0 holds the leaf hashes), about
/// two hashes per leaf. A complete subtree never changes once its last leaf is appended, so an append
/// hashes only the subtrees it completes: one node hash per append on average. Roots and proofs combine
/// O(log n) stored hashes and rehash nothing but the ragged right edge of the requested size.
/// Not thread-safe: callers that share a tree must serialise appends against reads.
/// </remarks>
public sealed class MerkleTree
{
    private readonly List<List<MerkleHash>> _levels = [[]];

    /// <summary>The number of leaves.</summary>
    public long Size => _levels[0].Count;

    /// <summary>The root for the current <see cref="Size"/> (RFC 6962 §2.1); the empty-tree hash when empty.</summary>
    public MerkleHash RootHash => RootHashAt(Size);

    /// <summary>Hashes <paramref name="leafData"/> as a leaf (<see cref="MerkleHasher.HashLeaf"/>) and appends it.</summary>
    /// <returns>The new leaf's index.</returns>
    public long Append(ReadOnlySpan<byte> leafData) => AppendLeafHash(MerkleHasher.HashLeaf(leafData));

    /// <summary>Appends a leaf by its leaf hash, for callers that hash leaves themselves.</summary>
    /// <returns>The new leaf's index.</returns>
    public long AppendLeafHash(in MerkleHash leafHash)
    {
        var index = _levels[0].Count;
        _levels[0].Add(leafHash);

        // A node with an odd index is a right child: its parent is now complete. Carry upwards like a
        // binary counter, so the number of hashes is the number of trailing one bits of the index.
        var hash = leafHash;
        var node = index;
        for (var level = 0; (node & 1) == 1; level++)
        {
            hash = MerkleHasher.HashChildren(_levels[level][node - 1], hash);
            node >>= 1;
            if (_levels.Count == level + 1)
            {
                _levels.Add([]);
            }

            _levels[level + 1].Add(hash);
        }

        return index;
    }

    /// <summary>The hash of leaf <paramref name="index"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is negative or not below <see cref="Size"/>.</exception>
    public MerkleHash GetLeafHash(long index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Size);
        return _levels[0][(int)index];
    }

    /// <summary>The root of the tree of the first <paramref name="size"/> leaves, as it was at that size.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="size"/> is negative or greater than <see cref="Size"/>.</exception>
    public MerkleHash RootHashAt(long size)
    {
        ThrowIfBeyondSize(size);
        return MerkleProofBuilder.RootHash(new Levels(_levels), size);
    }

    /// <summary>
    /// The inclusion proof of leaf <paramref name="index"/> in the tree of the first <paramref name="size"/>
    /// leaves (RFC 6962 §2.1.1), nearest the leaf first.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="size"/> is greater than <see cref="Size"/>, or <paramref name="index"/> is negative or not below <paramref name="size"/>.
    /// </exception>
    public MerkleHash[] GetInclusionProof(long index, long size)
    {
        ThrowIfBeyondSize(size);
        return MerkleProofBuilder.InclusionProof(new Levels(_levels), index, size);
    }

    /// <summary>
    /// The consistency proof from the tree of the first <paramref name="oldSize"/> leaves to the tree of the
    /// first <paramref name="newSize"/> leaves (RFC 6962 §2.1.2).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="newSize"/> is greater than <see cref="Size"/>, or <paramref name="oldSize"/> is negative or greater than <paramref name="newSize"/>.
    /// </exception>
    public MerkleHash[] GetConsistencyProof(long oldSize, long newSize)
    {
        ThrowIfBeyondSize(newSize);
        return MerkleProofBuilder.ConsistencyProof(new Levels(_levels), oldSize, newSize);
    }

    private void ThrowIfBeyondSize(long size, [CallerArgumentExpression(nameof(size))] string? paramName = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size, paramName);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(size, Size, paramName);
    }

    // A struct so that the generic builder is specialised for it and the lookups are direct calls.
    private readonly struct Levels(List<List<MerkleHash>> levels) : ISubtreeHashSource
    {
        public MerkleHash GetSubtreeHash(int level, long index) => levels[level][(int)index];
    }
}
