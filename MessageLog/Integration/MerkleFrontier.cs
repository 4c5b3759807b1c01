using System.Numerics;
using ExchangeGateway.Common.Crypto.Merkle;

namespace ExchangeGateway.MessageLog.Integration;

/// <summary>
/// The right edge of an append-only RFC 6962 tree: the roots of its perfect subtrees, largest (leftmost)
/// first, one per set bit of the size. Enough to append and to compute the root, in O(log n) memory
/// where <see cref="MerkleTree"/> keeps every node (about 64 bytes per leaf: gigabytes a day at the
/// rates the gateway targets). Inclusion proofs come from stored leaves, not from this.
/// </summary>
internal sealed class MerkleFrontier
{
    private readonly List<MerkleHash> _hashes = [];

    /// <summary>The number of leaves.</summary>
    public long Size { get; private set; }

    /// <summary>The RFC 6962 root (§2.1): the perfect subtrees folded from the right; the empty-tree hash when empty.</summary>
    public MerkleHash RootHash
    {
        get
        {
            if (_hashes.Count == 0)
            {
                return MerkleHasher.EmptyRoot;
            }

            // MTH(D[n]) = HASH(0x01 || MTH(D[0:k]) || MTH(D[k:n])) with k the largest power of two below
            // n: the leftmost perfect subtree, then the rest, recursively, i.e. a fold from the right.
            var acc = _hashes[^1];
            for (var i = _hashes.Count - 2; i >= 0; i--)
            {
                acc = MerkleHasher.HashChildren(_hashes[i], acc);
            }

            return acc;
        }
    }

    /// <summary>Rebuilds a frontier saved by <see cref="ToBytes"/>; false when the bytes cannot be one of <paramref name="size"/> leaves.</summary>
    public static bool TryRestore(long size, ReadOnlySpan<byte> bytes, out MerkleFrontier frontier)
    {
        frontier = new MerkleFrontier();
        if (size < 0 || bytes.Length != BitOperations.PopCount((ulong)size) * MerkleHash.SizeInBytes)
        {
            return false;
        }

        for (var offset = 0; offset < bytes.Length; offset += MerkleHash.SizeInBytes)
        {
            frontier._hashes.Add(new MerkleHash(bytes.Slice(offset, MerkleHash.SizeInBytes)));
        }

        frontier.Size = size;
        return true;
    }

    /// <summary>Appends a leaf by its leaf hash.</summary>
    public void Append(in MerkleHash leafHash)
    {
        var hash = leafHash;

        // Like incrementing a binary counter: each trailing one bit of the old size is a perfect subtree
        // of the same height as the carry, so the two merge into one a level higher.
        for (var size = Size; (size & 1) == 1; size >>= 1)
        {
            hash = MerkleHasher.HashChildren(_hashes[^1], hash);
            _hashes.RemoveAt(_hashes.Count - 1);
        }

        _hashes.Add(hash);
        Size++;
    }

    /// <summary>The subtree roots concatenated, left to right (popcount(size) × 32 bytes).</summary>
    public byte[] ToBytes()
    {
        var bytes = new byte[_hashes.Count * MerkleHash.SizeInBytes];
        for (var i = 0; i < _hashes.Count; i++)
        {
            _hashes[i].CopyTo(bytes.AsSpan(i * MerkleHash.SizeInBytes));
        }

        return bytes;
    }
}
