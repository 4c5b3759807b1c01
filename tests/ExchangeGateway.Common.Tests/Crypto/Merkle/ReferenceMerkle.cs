using ExchangeGateway.Common.Crypto.Merkle;

namespace ExchangeGateway.Common.Tests.Crypto.Merkle;

/// <summary>
/// The RFC 6962 §2.1 definitions written as literally as possible: MTH, PATH (§2.1.1) and PROOF/SUBPROOF
/// (§2.1.2), recursing over leaf ranges and rehashing everything. Slow on purpose; the tree is checked
/// against it.
/// </summary>
internal static class ReferenceMerkle
{
    public static MerkleHash Mth(ReadOnlySpan<MerkleHash> leaves)
    {
        if (leaves.Length == 0)
        {
            return MerkleHasher.EmptyRoot;
        }

        if (leaves.Length == 1)
        {
            return leaves[0];
        }

        var k = LargestPowerOfTwoBelow(leaves.Length);
        return MerkleHasher.HashChildren(Mth(leaves[..k]), Mth(leaves[k..]));
    }

    public static List<MerkleHash> Path(int m, ReadOnlySpan<MerkleHash> leaves)
    {
        if (leaves.Length == 1)
        {
            return [];
        }

        var k = LargestPowerOfTwoBelow(leaves.Length);
        List<MerkleHash> path;
        if (m < k)
        {
            path = Path(m, leaves[..k]);
            path.Add(Mth(leaves[k..]));
        }
        else
        {
            path = Path(m - k, leaves[k..]);
            path.Add(Mth(leaves[..k]));
        }

        return path;
    }

    public static List<MerkleHash> Proof(int m, ReadOnlySpan<MerkleHash> leaves) =>
        m == 0 ? [] : SubProof(m, leaves, true);

    private static List<MerkleHash> SubProof(int m, ReadOnlySpan<MerkleHash> leaves, bool complete)
    {
        if (m == leaves.Length)
        {
            return complete ? [] : [Mth(leaves)];
        }

        var k = LargestPowerOfTwoBelow(leaves.Length);
        List<MerkleHash> proof;
        if (m <= k)
        {
            proof = SubProof(m, leaves[..k], complete);
            proof.Add(Mth(leaves[k..]));
        }
        else
        {
            proof = SubProof(m - k, leaves[k..], false);
            proof.Add(Mth(leaves[..k]));
        }

        return proof;
    }

    // RFC 6962 §2.1: "k be the largest power of two smaller than n (i.e., k < n <= 2k)".
    private static int LargestPowerOfTwoBelow(int n)
    {
        var k = 1;
        while (k * 2 < n)
        {
            k *= 2;
        }

        return k;
    }
}
