using ExchangeGateway.Common.Crypto.Merkle;

namespace ExchangeGateway.Common.Tests.Crypto.Merkle;

/// <summary>
/// The builder against a source that holds only the leaves of the requested size, as a database-backed
/// log would: it must ask only for complete subtrees inside that size, and O(log n) of them.
/// </summary>
public sealed class MerkleProofBuilderTests
{
    private const int MaxSize = 40;

    private static readonly MerkleHash[] Leaves = MerkleTreeTests.CreateLeaves(MaxSize);

    [Fact]
    public void RootHash_SourceCutAtEachSize_MatchesReferenceMth()
    {
        for (var size = 0; size <= MaxSize; size++)
        {
            var source = new NaiveSubtreeSource(Leaves[..size]);

            Assert.Equal(ReferenceMerkle.Mth(Leaves.AsSpan(0, size)), MerkleProofBuilder.RootHash(source, size));
        }
    }

    [Fact]
    public void InclusionProof_SourceCutAtEachSize_MatchesReferencePath()
    {
        for (var size = 1; size <= MaxSize; size++)
        {
            for (var index = 0; index < size; index++)
            {
                var source = new NaiveSubtreeSource(Leaves[..size]);

                var proof = MerkleProofBuilder.InclusionProof(source, index, size);

                Assert.Equal(ReferenceMerkle.Path(index, Leaves.AsSpan(0, size)), proof);
                Assert.InRange(source.Lookups, proof.Length, 2 * proof.Length);
            }
        }
    }

    [Fact]
    public void ConsistencyProof_SourceCutAtEachNewSize_MatchesReferenceProof()
    {
        for (var newSize = 0; newSize <= MaxSize; newSize++)
        {
            for (var oldSize = 0; oldSize <= newSize; oldSize++)
            {
                var source = new NaiveSubtreeSource(Leaves[..newSize]);

                Assert.Equal(
                    ReferenceMerkle.Proof(oldSize, Leaves.AsSpan(0, newSize)),
                    MerkleProofBuilder.ConsistencyProof(source, oldSize, newSize));
            }
        }
    }
}
