using ExchangeGateway.Common.Crypto.Merkle;

namespace ExchangeGateway.Common.Tests.Crypto.Merkle;

/// <summary>
/// A subtree-hash source that stores nothing but the leaves of one tree size and recomputes each subtree
/// with <see cref="ReferenceMerkle.Mth"/>. It fails if the builder asks for a subtree that is not complete
/// within that size, which is the contract a database-backed source relies on.
/// </summary>
internal sealed class NaiveSubtreeSource(MerkleHash[] leaves) : ISubtreeHashSource
{
    public int Lookups { get; private set; }

    public MerkleHash GetSubtreeHash(int level, long index)
    {
        var start = index << level;
        var end = (index + 1) << level;
        Assert.True(end <= leaves.Length, $"Asked for subtree ({level}, {index}) beyond size {leaves.Length}.");
        Lookups++;
        return ReferenceMerkle.Mth(leaves.AsSpan((int)start, (int)(end - start)));
    }
}
