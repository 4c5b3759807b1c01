using ExchangeGateway.Common.Crypto.Merkle;
using ExchangeGateway.Common.Results;

namespace ExchangeGateway.Common.Tests.Crypto.Merkle;

public sealed class MerkleProofsTests
{
    private static readonly MerkleHash SomeHash =
        CtTestVectors.Hash("abacaba000000000000000000000000000000000000000000060061e00123456");

    private static readonly MerkleTree Tree = MerkleTreeTests.CreateTree(MerkleTreeTests.CreateLeaves(40));

    // ---- Inclusion: published vectors ----

    [Theory]
    [MemberData(nameof(CtTestVectors.InclusionCases), MemberType = typeof(CtTestVectors))]
    public void VerifyInclusion_CtVector_IsValid(int vector)
    {
        var (index, size, proof) = CtTestVectors.InclusionProofs[vector];

        var result = MerkleProofs.VerifyInclusion(CtLeaf(index), index, size, CtTestVectors.Hashes(proof), CtTestVectors.Root(size));

        Assert.True(result.IsValid, result.ToString());
    }

    [Theory]
    [MemberData(nameof(CtTestVectors.InclusionCases), MemberType = typeof(CtTestVectors))]
    public void RootFromInclusionProof_CtVector_ReturnsPublishedRoot(int vector)
    {
        var (index, size, proof) = CtTestVectors.InclusionProofs[vector];

        var result = MerkleProofs.RootFromInclusionProof(CtLeaf(index), index, size, CtTestVectors.Hashes(proof));

        Assert.True(result.IsValid, result.ToString());
        Assert.Equal(CtTestVectors.Root(size), result.Value);
    }

    // ---- Inclusion: bad cases ----

    [Theory]
    [MemberData(nameof(NonTrivialInclusionCases))]
    public void VerifyInclusion_WrongIndex_FailsAsProofInvalid(int vector)
    {
        var (index, size, proof) = CtTestVectors.InclusionProofs[vector];
        var hashes = CtTestVectors.Hashes(proof);

        foreach (var wrong in new[] { index - 1, index + 1, index ^ 2 }.Where(i => i >= 0))
        {
            AssertProofInvalid(
                MerkleProofs.VerifyInclusion(CtLeaf(index), wrong, size, hashes, CtTestVectors.Root(size)),
                "mismatch", "Wrong index", "Proof length");
        }
    }

    [Theory]
    [MemberData(nameof(NonTrivialInclusionCases))]
    public void VerifyInclusion_WrongSize_FailsAsProofInvalid(int vector)
    {
        var (index, size, proof) = CtTestVectors.InclusionProofs[vector];
        var hashes = CtTestVectors.Hashes(proof);

        foreach (var wrong in new[] { size * 2, size / 2 })
        {
            AssertProofInvalid(
                MerkleProofs.VerifyInclusion(CtLeaf(index), index, wrong, hashes, CtTestVectors.Root(size)),
                "mismatch", "Wrong index", "Wrong size", "Proof length");
        }
    }

    [Fact]
    public void VerifyInclusion_IndexNotBelowSize_FailsNamingIndex()
    {
        var result = MerkleProofs.VerifyInclusion(SomeHash, 8, 8, [], SomeHash);

        AssertProofInvalid(result, "Wrong index");
    }

    [Fact]
    public void VerifyInclusion_SizeZero_FailsNamingSize()
    {
        var result = MerkleProofs.VerifyInclusion(SomeHash, 0, 0, [], MerkleHasher.EmptyRoot);

        AssertProofInvalid(result, "Wrong size");
    }

    [Fact]
    public void VerifyInclusion_NegativeIndex_FailsAsMalformed()
    {
        var result = MerkleProofs.VerifyInclusion(SomeHash, -1, 8, [], SomeHash);

        Assert.Equal(TrustFailure.Malformed, result.Failure);
    }

    [Theory]
    [MemberData(nameof(NonTrivialInclusionCases))]
    public void VerifyInclusion_TruncatedProof_FailsNamingLength(int vector)
    {
        var (index, size, proof) = CtTestVectors.InclusionProofs[vector];
        var hashes = CtTestVectors.Hashes(proof);

        AssertProofInvalid(
            MerkleProofs.VerifyInclusion(CtLeaf(index), index, size, hashes[..^1], CtTestVectors.Root(size)),
            "Proof length");
        AssertProofInvalid(
            MerkleProofs.VerifyInclusion(CtLeaf(index), index, size, hashes[1..], CtTestVectors.Root(size)),
            "Proof length");
    }

    [Theory]
    [MemberData(nameof(CtTestVectors.InclusionCases), MemberType = typeof(CtTestVectors))]
    public void VerifyInclusion_ExtendedProof_FailsNamingLength(int vector)
    {
        var (index, size, proof) = CtTestVectors.InclusionProofs[vector];
        var hashes = CtTestVectors.Hashes(proof);
        var root = CtTestVectors.Root(size);

        AssertProofInvalid(MerkleProofs.VerifyInclusion(CtLeaf(index), index, size, [.. hashes, root], root), "Proof length");
        AssertProofInvalid(MerkleProofs.VerifyInclusion(CtLeaf(index), index, size, [root, .. hashes], root), "Proof length");
        AssertProofInvalid(MerkleProofs.VerifyInclusion(CtLeaf(index), index, size, [.. hashes, SomeHash], root), "Proof length");
    }

    [Theory]
    [MemberData(nameof(NonTrivialInclusionCases))]
    public void VerifyInclusion_OneBitFlippedInAnyElement_FailsNamingRoot(int vector)
    {
        var (index, size, proof) = CtTestVectors.InclusionProofs[vector];

        for (var element = 0; element < proof.Length; element++)
        {
            var tampered = CtTestVectors.Hashes(proof);
            tampered[element] = FlipBit(tampered[element], 3);

            AssertProofInvalid(
                MerkleProofs.VerifyInclusion(CtLeaf(index), index, size, tampered, CtTestVectors.Root(size)),
                "Root mismatch");
        }
    }

    [Theory]
    [MemberData(nameof(CtTestVectors.InclusionCases), MemberType = typeof(CtTestVectors))]
    public void VerifyInclusion_WrongLeafOrRoot_FailsNamingRoot(int vector)
    {
        var (index, size, proof) = CtTestVectors.InclusionProofs[vector];
        var hashes = CtTestVectors.Hashes(proof);

        AssertProofInvalid(
            MerkleProofs.VerifyInclusion(SomeHash, index, size, hashes, CtTestVectors.Root(size)), "Root mismatch");
        AssertProofInvalid(
            MerkleProofs.VerifyInclusion(CtLeaf(index), index, size, hashes, SomeHash), "Root mismatch");
        AssertProofInvalid(
            MerkleProofs.VerifyInclusion(CtLeaf(index), index, size, hashes, MerkleHasher.EmptyRoot), "Root mismatch");
    }

    [Fact]
    public void VerifyInclusion_SingleLeafTree_EmptyProofIsValidOnlyForThatLeaf()
    {
        var leaf = MerkleHasher.HashLeaf("data"u8);

        Assert.True(MerkleProofs.VerifyInclusion(leaf, 0, 1, [], leaf).IsValid);
        AssertProofInvalid(MerkleProofs.VerifyInclusion(SomeHash, 0, 1, [], leaf), "Root mismatch");
    }

    // ---- Consistency: published vectors ----

    [Theory]
    [MemberData(nameof(CtTestVectors.ConsistencyCases), MemberType = typeof(CtTestVectors))]
    public void VerifyConsistency_CtVector_IsValid(int vector)
    {
        var (oldSize, newSize, proof) = CtTestVectors.ConsistencyProofs[vector];

        var result = MerkleProofs.VerifyConsistency(
            oldSize, newSize, CtTestVectors.Root(oldSize), CtTestVectors.Root(newSize), CtTestVectors.Hashes(proof));

        Assert.True(result.IsValid, result.ToString());
    }

    // ---- Consistency: trivial sizes ----

    [Fact]
    public void VerifyConsistency_OldSizeZero_EmptyProofIsValid()
    {
        var result = MerkleProofs.VerifyConsistency(0, 8, MerkleHasher.EmptyRoot, CtTestVectors.Root(8), []);

        Assert.True(result.IsValid, result.ToString());
    }

    [Fact]
    public void VerifyConsistency_OldSizeZeroWithProof_FailsNamingLength()
    {
        var result = MerkleProofs.VerifyConsistency(0, 8, MerkleHasher.EmptyRoot, CtTestVectors.Root(8), [SomeHash]);

        AssertProofInvalid(result, "Proof length");
    }

    [Fact]
    public void VerifyConsistency_OldSizeZeroWithNonEmptyRoot_FailsNamingRoot()
    {
        var result = MerkleProofs.VerifyConsistency(0, 8, SomeHash, CtTestVectors.Root(8), []);

        AssertProofInvalid(result, "Old root mismatch");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(8)]
    public void VerifyConsistency_EqualSizesAndRoots_EmptyProofIsValid(int size)
    {
        var root = CtTestVectors.Root(size);

        Assert.True(MerkleProofs.VerifyConsistency(size, size, root, root, []).IsValid);
    }

    [Fact]
    public void VerifyConsistency_EqualSizesDifferentRoots_FailsNamingRoot()
    {
        var result = MerkleProofs.VerifyConsistency(5, 5, CtTestVectors.Root(5), SomeHash, []);

        AssertProofInvalid(result, "Root mismatch");
    }

    [Fact]
    public void VerifyConsistency_EqualSizesWithProof_FailsNamingLength()
    {
        var root = CtTestVectors.Root(5);

        AssertProofInvalid(MerkleProofs.VerifyConsistency(5, 5, root, root, [root]), "Proof length");
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(2, 1)]
    [InlineData(8, 6)]
    public void VerifyConsistency_OldSizeGreaterThanNewSize_FailsNamingSize(long oldSize, long newSize)
    {
        var result = MerkleProofs.VerifyConsistency(oldSize, newSize, CtTestVectors.Root(oldSize), CtTestVectors.Root(newSize), []);

        AssertProofInvalid(result, "Wrong size");
    }

    [Fact]
    public void VerifyConsistency_NegativeSize_FailsAsMalformed()
    {
        var result = MerkleProofs.VerifyConsistency(-1, 8, SomeHash, SomeHash, []);

        Assert.Equal(TrustFailure.Malformed, result.Failure);
    }

    // ---- Consistency: bad proofs ----

    [Theory]
    [MemberData(nameof(NonTrivialConsistencyCases))]
    public void VerifyConsistency_WrongSizes_FailsAsProofInvalid(int vector)
    {
        var (oldSize, newSize, proof) = CtTestVectors.ConsistencyProofs[vector];
        var hashes = CtTestVectors.Hashes(proof);
        var oldRoot = CtTestVectors.Root(oldSize);
        var newRoot = CtTestVectors.Root(newSize);

        foreach (var (o, n) in new[] { (oldSize - 1, newSize), (oldSize + 1, newSize), (oldSize ^ 2, newSize), (oldSize, newSize * 2), (oldSize, newSize / 2) })
        {
            AssertProofInvalid(MerkleProofs.VerifyConsistency(o, n, oldRoot, newRoot, hashes), "mismatch", "Proof length", "Wrong size");
        }
    }

    [Theory]
    [MemberData(nameof(NonTrivialConsistencyCases))]
    public void VerifyConsistency_WrongOrSwappedRoots_FailsNamingRoot(int vector)
    {
        var (oldSize, newSize, proof) = CtTestVectors.ConsistencyProofs[vector];
        var hashes = CtTestVectors.Hashes(proof);
        var oldRoot = CtTestVectors.Root(oldSize);
        var newRoot = CtTestVectors.Root(newSize);

        AssertProofInvalid(MerkleProofs.VerifyConsistency(oldSize, newSize, SomeHash, newRoot, hashes), "root mismatch");
        AssertProofInvalid(MerkleProofs.VerifyConsistency(oldSize, newSize, oldRoot, SomeHash, hashes), "New root mismatch");
        AssertProofInvalid(MerkleProofs.VerifyConsistency(oldSize, newSize, newRoot, oldRoot, hashes), "root mismatch");
    }

    [Theory]
    [MemberData(nameof(NonTrivialConsistencyCases))]
    public void VerifyConsistency_TruncatedOrExtendedProof_FailsNamingLength(int vector)
    {
        var (oldSize, newSize, proof) = CtTestVectors.ConsistencyProofs[vector];
        var hashes = CtTestVectors.Hashes(proof);
        var oldRoot = CtTestVectors.Root(oldSize);
        var newRoot = CtTestVectors.Root(newSize);

        foreach (var wrong in new[] { [], hashes[..^1], hashes[1..], [.. hashes, oldRoot], [.. hashes, newRoot], [oldRoot, .. hashes], [hashes[0], .. hashes] })
        {
            AssertProofInvalid(MerkleProofs.VerifyConsistency(oldSize, newSize, oldRoot, newRoot, wrong), "Proof length");
        }
    }

    [Theory]
    [MemberData(nameof(NonTrivialConsistencyCases))]
    public void VerifyConsistency_OneBitFlippedInAnyElement_FailsNamingRoot(int vector)
    {
        var (oldSize, newSize, proof) = CtTestVectors.ConsistencyProofs[vector];

        for (var element = 0; element < proof.Length; element++)
        {
            var tampered = CtTestVectors.Hashes(proof);
            tampered[element] = FlipBit(tampered[element], 4);

            AssertProofInvalid(
                MerkleProofs.VerifyConsistency(oldSize, newSize, CtTestVectors.Root(oldSize), CtTestVectors.Root(newSize), tampered),
                "root mismatch");
        }
    }

    [Fact]
    public void VerifyConsistency_OldTreeWithOneLeafRewritten_FailsForEverySizePair()
    {
        // A log that rewrote leaf `changed` after publishing the old checkpoint: the honest old root must
        // not be consistent with the rewritten log's new root, whatever proof the log offers.
        const int MaxSize = 20;
        var leaves = MerkleTreeTests.CreateLeaves(MaxSize);
        var honest = MerkleTreeTests.CreateTree(leaves);
        for (var changed = 0; changed < MaxSize; changed++)
        {
            var rewrittenLeaves = (MerkleHash[])leaves.Clone();
            rewrittenLeaves[changed] = MerkleHasher.HashLeaf("rewritten"u8);
            var rewritten = MerkleTreeTests.CreateTree(rewrittenLeaves);
            for (var oldSize = changed + 1; oldSize <= MaxSize; oldSize++)
            {
                for (var newSize = oldSize; newSize <= MaxSize; newSize++)
                {
                    var oldRoot = honest.RootHashAt(oldSize);
                    var newRoot = rewritten.RootHashAt(newSize);

                    Assert.False(MerkleProofs.VerifyConsistency(oldSize, newSize, oldRoot, newRoot, rewritten.GetConsistencyProof(oldSize, newSize)).IsValid);
                    Assert.False(MerkleProofs.VerifyConsistency(oldSize, newSize, oldRoot, newRoot, honest.GetConsistencyProof(oldSize, newSize)).IsValid);
                }
            }
        }
    }

    [Fact]
    public void VerifyConsistency_RewrittenTreeAtLargerSizes_ReportsRootMismatchWithEvidence()
    {
        var leaves = MerkleTreeTests.CreateLeaves(40);
        leaves[3] = MerkleHasher.HashLeaf("rewritten"u8);
        var rewritten = MerkleTreeTests.CreateTree(leaves);

        var result = MerkleProofs.VerifyConsistency(
            13, 40, Tree.RootHashAt(13), rewritten.RootHashAt(40), rewritten.GetConsistencyProof(13, 40));

        AssertProofInvalid(result, "Old root mismatch");
        Assert.Contains(Tree.RootHashAt(13).ToString(), result.Message, StringComparison.Ordinal);
    }

    public static TheoryData<int> NonTrivialInclusionCases() => [1, 2, 3, 4];

    public static TheoryData<int> NonTrivialConsistencyCases() => [1, 2, 3, 4];

    internal static MerkleHash FlipBit(MerkleHash hash, int bit)
    {
        var bytes = hash.ToArray();
        bytes[bit / 8] ^= (byte)(1 << (bit % 8));
        return new MerkleHash(bytes);
    }

    private static MerkleHash CtLeaf(long index) => CtTestVectors.Hash(CtTestVectors.LeafHashHex[index]);

    private static void AssertProofInvalid(VerificationResult result, params string[] anyOfMessages)
    {
        Assert.False(result.IsValid);
        Assert.Equal(TrustFailure.ProofInvalid, result.Failure);
        Assert.True(
            anyOfMessages.Any(m => result.Message.Contains(m, StringComparison.OrdinalIgnoreCase)),
            $"Message \"{result.Message}\" names none of: {string.Join(", ", anyOfMessages)}.");
    }
}
