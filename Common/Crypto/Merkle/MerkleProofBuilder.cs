using System.Numerics;

namespace ExchangeGateway.Common.Crypto.Merkle;

/// <summary>
/// Builds RFC 6962 roots and proofs from stored complete-subtree hashes, for any tree size up to what the
/// source holds. Each result costs O(log n) lookups and hashes only where a proof crosses the tree's
/// ragged right edge; leaves are never rehashed.
/// </summary>
/// <remarks>
/// The algorithms are equivalent to RFC 6962 §2.1 (MTH), §2.1.1 (PATH) and §2.1.2 (PROOF), and produce the
/// same hashes in the same order, but walk the tree bottom-up by index bits instead of recursing over
/// leaf ranges. Arguments are trusted (the server asks about its own tree), so bad ones throw.
/// </remarks>
public static class MerkleProofBuilder
{
    /// <summary>The root of the first <paramref name="size"/> leaves (RFC 6962 §2.1, MTH(D[size])).</summary>
    /// <typeparam name="TSource">
    /// The stored complete-subtree hashes, of a tree at least as large as asked about. A struct source is
    /// specialised by the JIT, so its lookups are direct calls.
    /// </typeparam>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="size"/> is negative.</exception>
    public static MerkleHash RootHash<TSource>(TSource source, long size)
        where TSource : ISubtreeHashSource
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        return size == 0 ? MerkleHasher.EmptyRoot : RangeHash(source, 0, (ulong)size);
    }

    /// <summary>
    /// The inclusion proof (audit path) of leaf <paramref name="index"/> in the tree of the first
    /// <paramref name="size"/> leaves (RFC 6962 §2.1.1, PATH(index, D[size])), nearest the leaf first.
    /// </summary>
    /// <typeparam name="TSource">
    /// The stored complete-subtree hashes, of a tree at least as large as asked about. A struct source is
    /// specialised by the JIT, so its lookups are direct calls.
    /// </typeparam>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is negative or not below <paramref name="size"/>.</exception>
    public static MerkleHash[] InclusionProof<TSource>(TSource source, long index, long size)
        where TSource : ISubtreeHashSource
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, size);

        var leaf = (ulong)index;
        var treeSize = (ulong)size;
        var inner = MerkleProofShape.InnerLevels(leaf, treeSize);
        var proof = new MerkleHash[inner + MerkleProofShape.BorderCount(leaf, inner)];
        var written = WritePath(source, leaf, 0, inner, treeSize, proof);
        WriteBorder(source, leaf, inner, proof.AsSpan(written));
        return proof;
    }

    /// <summary>
    /// The consistency proof that the tree of the first <paramref name="newSize"/> leaves extends the tree of
    /// the first <paramref name="oldSize"/> leaves (RFC 6962 §2.1.2, PROOF(oldSize, D[newSize])). Empty when
    /// <paramref name="oldSize"/> is 0 or equals <paramref name="newSize"/>.
    /// </summary>
    /// <typeparam name="TSource">
    /// The stored complete-subtree hashes, of a tree at least as large as asked about. A struct source is
    /// specialised by the JIT, so its lookups are direct calls.
    /// </typeparam>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="oldSize"/> is negative or greater than <paramref name="newSize"/>.</exception>
    public static MerkleHash[] ConsistencyProof<TSource>(TSource source, long oldSize, long newSize)
        where TSource : ISubtreeHashSource
    {
        ArgumentOutOfRangeException.ThrowIfNegative(oldSize);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(oldSize, newSize);
        if (oldSize == 0 || oldSize == newSize)
        {
            return [];
        }

        // The old tree's rightmost complete subtree (level `shift`, containing leaf oldSize - 1) is a node of
        // the new tree too. The proof is that node (unless it is the whole old tree, which the verifier
        // already has as the old root) and then its path to the new root. The verifier can rebuild the old
        // root from the same hashes, because the old tree's other subtrees are the left siblings on that path.
        var old = (ulong)oldSize;
        var last = old - 1;
        var shift = BitOperations.TrailingZeroCount(old);
        var inner = MerkleProofShape.InnerLevels(last, (ulong)newSize);
        var proof = new MerkleHash[MerkleProofShape.ConsistencyLength(old, (ulong)newSize)];
        var written = 0;
        if (!BitOperations.IsPow2(old))
        {
            proof[written++] = source.GetSubtreeHash(shift, (long)(last >> shift));
        }

        written += WritePath(source, last, shift, inner, (ulong)newSize, proof.AsSpan(written));
        WriteBorder(source, last, inner, proof.AsSpan(written));
        return proof;
    }

    // Siblings of the node above `leaf` at levels [fromLevel, toLevel), below the join with the right edge.
    // A sibling there may be to the left (complete) or to the right (complete, or cut off by the tree size).
    private static int WritePath<TSource>(TSource source, ulong leaf, int fromLevel, int toLevel, ulong size, Span<MerkleHash> destination)
        where TSource : ISubtreeHashSource
    {
        var written = 0;
        for (var level = fromLevel; level < toLevel; level++)
        {
            destination[written++] = NodeHash(source, level, (leaf >> level) ^ 1, size);
        }

        return written;
    }

    // Above the join the node is on the right edge: only set index bits have a (left, complete) sibling.
    private static void WriteBorder<TSource>(TSource source, ulong leaf, int fromLevel, Span<MerkleHash> destination)
        where TSource : ISubtreeHashSource
    {
        var written = 0;
        for (var bits = leaf >> fromLevel; bits != 0; bits &= bits - 1)
        {
            var level = fromLevel + BitOperations.TrailingZeroCount(bits);
            destination[written++] = source.GetSubtreeHash(level, (long)((leaf >> level) - 1));
        }
    }

    // The hash of the node at (level, index) in a tree of `size` leaves: stored if the node is complete,
    // otherwise the node sits on the ragged right edge and covers only leaves [index·2^level, size).
    private static MerkleHash NodeHash<TSource>(TSource source, int level, ulong index, ulong size)
        where TSource : ISubtreeHashSource
    {
        var start = index << level;
        return size - start >= 1UL << level
            ? source.GetSubtreeHash(level, (long)index)
            : RangeHash(source, start, size);
    }

    // MTH of leaves [start, end), where start is a multiple of a power of two that is at least end - start.
    // RFC 6962 §2.1 splits a range at the largest power of two below its length, so such a range is the
    // complete subtrees given by the bits of its length, largest first, combined from the right.
    private static MerkleHash RangeHash<TSource>(TSource source, ulong start, ulong end)
        where TSource : ISubtreeHashSource
    {
        var remaining = end - start;
        var level = BitOperations.TrailingZeroCount(remaining);
        remaining -= 1UL << level;
        var hash = source.GetSubtreeHash(level, (long)((start + remaining) >> level));
        while (remaining != 0)
        {
            level = BitOperations.TrailingZeroCount(remaining);
            remaining -= 1UL << level;
            hash = MerkleHasher.HashChildren(source.GetSubtreeHash(level, (long)((start + remaining) >> level)), hash);
        }

        return hash;
    }
}
