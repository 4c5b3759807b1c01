using System.Security.Cryptography;
using ExchangeGateway.Common.Crypto.Merkle;

namespace ExchangeGateway.Common.Tests.Crypto.Merkle;

public sealed class MerkleHasherTests
{
    [Fact]
    public void EmptyRoot_Always_IsSha256OfEmptyString()
    {
        Assert.Equal(CtTestVectors.EmptyRootHex, MerkleHasher.EmptyRoot.ToString());
    }

    [Theory]
    [MemberData(nameof(CtTestVectors.Sizes1To8), MemberType = typeof(CtTestVectors))]
    public void HashLeaf_CtLeafData_MatchesPublishedLeafHash(int leafNumber)
    {
        var data = Convert.FromHexString(CtTestVectors.LeafDataHex[leafNumber - 1]);

        Assert.Equal(CtTestVectors.LeafHashHex[leafNumber - 1], MerkleHasher.HashLeaf(data).ToString());
    }

    [Fact]
    public void HashChildren_FirstTwoCtLeaves_MatchesPublishedRootOfSizeTwo()
    {
        var left = CtTestVectors.Hash(CtTestVectors.LeafHashHex[0]);
        var right = CtTestVectors.Hash(CtTestVectors.LeafHashHex[1]);

        Assert.Equal(CtTestVectors.Root(2), MerkleHasher.HashChildren(left, right));
    }

    [Theory]
    [InlineData(1023)]
    [InlineData(1024)]
    [InlineData(1025)]
    [InlineData(100_000)]
    public void HashLeaf_DataAroundStackLimit_IsSha256OfZeroPrefixedData(int length)
    {
        var data = new byte[length];
        new Random(length).NextBytes(data);
        var prefixed = new byte[length + 1];
        data.CopyTo(prefixed, 1);

        Assert.Equal(new MerkleHash(SHA256.HashData(prefixed)), MerkleHasher.HashLeaf(data));
    }

    [Theory]
    [InlineData(32)]
    [InlineData(48)]
    [InlineData(64)]
    public void HashLeafFromDigest_Digest_EqualsHashLeafOfDigestBytes(int length)
    {
        var digest = SHA512.HashData("record"u8)[..length];

        Assert.Equal(MerkleHasher.HashLeaf(digest), MerkleHasher.HashLeafFromDigest(digest));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(31)]
    [InlineData(65)]
    public void HashLeafFromDigest_WrongLength_Throws(int length)
    {
        Assert.Throws<ArgumentException>(() => MerkleHasher.HashLeafFromDigest(new byte[length]));
    }

    [Fact]
    public void HashLeaf_ConcatenationOfTwoHashes_DiffersFromNodeOfThoseHashes()
    {
        // RFC 6962 §2.1 domain separation: the same 64 bytes hash differently as a leaf and as a node.
        var left = MerkleHasher.HashLeaf("a"u8);
        var right = MerkleHasher.HashLeaf("b"u8);
        byte[] both = [.. left.AsSpan(), .. right.AsSpan()];

        Assert.NotEqual(MerkleHasher.HashChildren(left, right), MerkleHasher.HashLeaf(both));
    }
}
