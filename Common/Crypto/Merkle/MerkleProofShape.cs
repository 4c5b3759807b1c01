using System.Numerics;

namespace ExchangeGateway.Common.Crypto.Merkle;

/// <summary>
/// The shape of RFC 6962 proofs, shared by the builder and the verifier so that both agree on how many
/// hashes a proof has and which of them sit on which side.
/// </summary>
/// <remarks>
/// Follow the path from a node up to the root next to the path from the tree's last leaf. Below the level
/// where the two paths join, the sibling at each level is a left or a right subtree depending on one bit of
/// the node index, and a right sibling may be incomplete (the tree's ragged right edge). From that level
/// up, the node lies on the right edge itself: a level has a sibling only where the index bit is 1, and that
/// sibling is a complete left subtree. RFC 6962 §2.1 splits every tree at the largest power of two below
/// its size, which is what makes the ragged edge collapse this way.
/// </remarks>
internal static class MerkleProofShape
{
    /// <summary>
    /// The number of levels below the one where the path from <paramref name="index"/> joins the path from
    /// leaf <paramref name="size"/> − 1. Requires <paramref name="index"/> &lt; <paramref name="size"/> ≤ 2^63.
    /// </summary>
    public static int InnerLevels(ulong index, ulong size) =>
        64 - BitOperations.LeadingZeroCount(index ^ (size - 1));

    /// <summary>The number of left siblings on the right edge above <paramref name="inner"/> levels.</summary>
    public static int BorderCount(ulong index, int inner) => BitOperations.PopCount(index >> inner);

    /// <summary>The number of hashes in the inclusion proof of leaf <paramref name="index"/> in a tree of <paramref name="size"/>.</summary>
    public static int InclusionLength(ulong index, ulong size)
    {
        var inner = InnerLevels(index, size);
        return inner + BorderCount(index, inner);
    }

    /// <summary>
    /// The number of hashes in the consistency proof from <paramref name="oldSize"/> to <paramref name="newSize"/>,
    /// for 0 &lt; <paramref name="oldSize"/> &lt; <paramref name="newSize"/>: the inclusion path of the old tree's
    /// last complete subtree, starting at that subtree's level, plus that subtree itself unless it is the whole
    /// old tree (RFC 6962 §2.1.2: SUBPROOF with b = true omits it).
    /// </summary>
    public static int ConsistencyLength(ulong oldSize, ulong newSize)
    {
        var last = oldSize - 1;
        var shift = BitOperations.TrailingZeroCount(oldSize);
        var inner = InnerLevels(last, newSize);
        return (BitOperations.IsPow2(oldSize) ? 0 : 1) + (inner - shift) + BorderCount(last, inner);
    }
}
