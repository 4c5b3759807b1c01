using ExchangeGateway.Common.Crypto.Merkle;

namespace ExchangeGateway.Common.Tests.Crypto.Merkle;

public sealed class MerkleTreeTests
{
    // Covers every shape of a small tree: powers of two, one past them, and long ragged right edges.
    private const int ReferenceMaxSize = 70;

    private static readonly MerkleHash[] Leaves = CreateLeaves(ReferenceMaxSize);

    private static readonly MerkleTree Tree = CreateTree(Leaves);

    [Fact]
    public void RootHash_EmptyTree_IsEmptyRoot()
    {
        var tree = new MerkleTree();

        Assert.Equal(0, tree.Size);
        Assert.Equal(MerkleHasher.EmptyRoot, tree.RootHash);
        Assert.Equal(MerkleHasher.EmptyRoot, tree.RootHashAt(0));
    }

    [Theory]
    [MemberData(nameof(CtTestVectors.Sizes1To8), MemberType = typeof(CtTestVectors))]
    public void RootHash_CtLeaves_MatchesPublishedRootForEachSize(int size)
    {
        var tree = CtTestVectors.Tree(size);

        Assert.Equal(size, tree.Size);
        Assert.Equal(CtTestVectors.Root(size), tree.RootHash);
    }

    [Theory]
    [MemberData(nameof(CtTestVectors.Sizes1To8), MemberType = typeof(CtTestVectors))]
    public void RootHashAt_EarlierSizeOfFullCtTree_MatchesPublishedRoot(int size)
    {
        Assert.Equal(CtTestVectors.Root(size), CtTestVectors.Tree().RootHashAt(size));
    }

    [Theory]
    [MemberData(nameof(CtTestVectors.InclusionCases), MemberType = typeof(CtTestVectors))]
    public void GetInclusionProof_CtVector_MatchesPublishedProof(int vector)
    {
        var (index, size, proof) = CtTestVectors.InclusionProofs[vector];

        Assert.Equal(CtTestVectors.Hashes(proof), CtTestVectors.Tree().GetInclusionProof(index, size));
    }

    [Theory]
    [MemberData(nameof(CtTestVectors.ConsistencyCases), MemberType = typeof(CtTestVectors))]
    public void GetConsistencyProof_CtVector_MatchesPublishedProof(int vector)
    {
        var (oldSize, newSize, proof) = CtTestVectors.ConsistencyProofs[vector];

        Assert.Equal(CtTestVectors.Hashes(proof), CtTestVectors.Tree().GetConsistencyProof(oldSize, newSize));
    }

    [Fact]
    public void Append_Leaves_ReturnsConsecutiveIndicesAndKeepsLeafHashes()
    {
        var tree = new MerkleTree();

        Assert.Equal(0, tree.Append("a"u8));
        Assert.Equal(1, tree.AppendLeafHash(MerkleHasher.HashLeaf("b"u8)));
        Assert.Equal(2, tree.Size);
        Assert.Equal(MerkleHasher.HashLeaf("a"u8), tree.GetLeafHash(0));
        Assert.Equal(MerkleHasher.HashLeaf("b"u8), tree.GetLeafHash(1));
    }

    [Fact]
    public void RootHashAt_EverySizeUpTo70_MatchesReferenceMth()
    {
        for (var size = 0; size <= ReferenceMaxSize; size++)
        {
            Assert.Equal(ReferenceMerkle.Mth(Leaves.AsSpan(0, size)), Tree.RootHashAt(size));
        }
    }

    [Fact]
    public void RootHash_GrowingTree_MatchesReferenceMthAfterEveryAppend()
    {
        var tree = new MerkleTree();
        for (var size = 1; size <= ReferenceMaxSize; size++)
        {
            tree.AppendLeafHash(Leaves[size - 1]);
            Assert.Equal(ReferenceMerkle.Mth(Leaves.AsSpan(0, size)), tree.RootHash);
        }
    }

    [Fact]
    public void GetInclusionProof_EveryIndexAndSizeUpTo70_MatchesReferencePathAndVerifies()
    {
        for (var size = 1; size <= ReferenceMaxSize; size++)
        {
            var root = Tree.RootHashAt(size);
            for (var index = 0; index < size; index++)
            {
                var proof = Tree.GetInclusionProof(index, size);

                Assert.Equal(ReferenceMerkle.Path(index, Leaves.AsSpan(0, size)), proof);
                var result = MerkleProofs.VerifyInclusion(Leaves[index], index, size, proof, root);
                Assert.True(result.IsValid, $"index {index}, size {size}: {result}");
            }
        }
    }

    [Fact]
    public void GetConsistencyProof_EveryOldAndNewSizeUpTo70_MatchesReferenceProofAndVerifies()
    {
        for (var newSize = 0; newSize <= ReferenceMaxSize; newSize++)
        {
            var newRoot = Tree.RootHashAt(newSize);
            for (var oldSize = 0; oldSize <= newSize; oldSize++)
            {
                var proof = Tree.GetConsistencyProof(oldSize, newSize);

                Assert.Equal(ReferenceMerkle.Proof(oldSize, Leaves.AsSpan(0, newSize)), proof);
                var result = MerkleProofs.VerifyConsistency(oldSize, newSize, Tree.RootHashAt(oldSize), newRoot, proof);
                Assert.True(result.IsValid, $"sizes {oldSize} to {newSize}: {result}");
            }
        }
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(9)]
    public void RootHashAt_SizeOutsideTree_Throws(long size)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => CtTestVectors.Tree().RootHashAt(size));
    }

    [Theory]
    [InlineData(-1, 8)]
    [InlineData(8, 8)]
    [InlineData(0, 0)]
    [InlineData(3, 2)]
    [InlineData(0, 9)]
    public void GetInclusionProof_IndexOrSizeOutsideTree_Throws(long index, long size)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => CtTestVectors.Tree().GetInclusionProof(index, size));
    }

    [Theory]
    [InlineData(-1, 8)]
    [InlineData(5, 4)]
    [InlineData(1, 9)]
    public void GetConsistencyProof_SizesOutsideTreeOrDecreasing_Throws(long oldSize, long newSize)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => CtTestVectors.Tree().GetConsistencyProof(oldSize, newSize));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(8)]
    public void GetLeafHash_IndexOutsideTree_Throws(long index)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => CtTestVectors.Tree().GetLeafHash(index));
    }

    internal static MerkleHash[] CreateLeaves(int count)
    {
        var leaves = new MerkleHash[count];
        for (var i = 0; i < count; i++)
        {
            leaves[i] = MerkleHasher.HashLeaf(BitConverter.GetBytes(i));
        }

        return leaves;
    }

    internal static MerkleTree CreateTree(IEnumerable<MerkleHash> leaves)
    {
        var tree = new MerkleTree();
        foreach (var leaf in leaves)
        {
            tree.AppendLeafHash(leaf);
        }

        return tree;
    }
}
