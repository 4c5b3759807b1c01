using ExchangeGateway.Common.Crypto.Merkle;
using ExchangeGateway.MessageLog.Integration;

namespace ExchangeGateway.MessageLog.Tests.Integration;

public sealed class MerkleFrontierTests
{
    [Fact]
    public void RootHash_EverySizeTo300_EqualsMerkleTree()
    {
        var tree = new MerkleTree();
        var frontier = new MerkleFrontier();
        Assert.Equal(tree.RootHash, frontier.RootHash);
        for (var i = 0; i < 300; i++)
        {
            var leaf = MerkleHasher.HashLeaf(BitConverter.GetBytes(i));
            tree.AppendLeafHash(leaf);
            frontier.Append(leaf);

            Assert.Equal(tree.RootHash, frontier.RootHash);
        }
    }

    [Fact]
    public void TryRestore_SavedBytes_ContinuesLikeOriginal()
    {
        var original = new MerkleFrontier();
        for (var i = 0; i < 77; i++)
        {
            original.Append(MerkleHasher.HashLeaf(BitConverter.GetBytes(i)));
        }

        Assert.True(MerkleFrontier.TryRestore(77, original.ToBytes(), out var restored));
        original.Append(MerkleHasher.HashLeaf("next"u8));
        restored.Append(MerkleHasher.HashLeaf("next"u8));

        Assert.Equal(original.RootHash, restored.RootHash);
        Assert.Equal(78, restored.Size);
    }

    [Fact]
    public void TryRestore_WrongLengthForSize_False()
    {
        Assert.False(MerkleFrontier.TryRestore(3, new byte[32], out _));
        Assert.True(MerkleFrontier.TryRestore(0, [], out _));
    }
}
