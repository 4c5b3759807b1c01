using ExchangeGateway.Common.Crypto.Merkle;

namespace ExchangeGateway.Common.Tests.Crypto.Merkle;

public sealed class MerkleHashTests
{
    private static readonly byte[] Bytes = Convert.FromHexString(CtTestVectors.RootHex[8]);

    [Theory]
    [InlineData(0)]
    [InlineData(31)]
    [InlineData(33)]
    public void Constructor_WrongLength_Throws(int length)
    {
        Assert.Throws<ArgumentException>(() => new MerkleHash(new byte[length]));
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(31, false)]
    [InlineData(32, true)]
    [InlineData(33, false)]
    public void TryCreate_Length_SucceedsOnlyFor32Bytes(int length, bool expected)
    {
        Assert.Equal(expected, MerkleHash.TryCreate(new byte[length], out _));
    }

    [Fact]
    public void ToString_Hash_IsLowerCaseHex()
    {
        Assert.Equal(CtTestVectors.RootHex[8], new MerkleHash(Bytes).ToString());
    }

    [Fact]
    public void ToArray_Hash_RoundTripsBytes()
    {
        var hash = new MerkleHash(Bytes);

        Assert.Equal(Bytes, hash.ToArray());
        Assert.True(hash.AsSpan().SequenceEqual(Bytes));
        Assert.Equal(Convert.FromHexString(CtTestVectors.EmptyRootHex), MerkleHasher.EmptyRoot.AsSpan().ToArray());
    }

    [Fact]
    public void Equals_SameBytes_IsEqualWithSameHashCode()
    {
        var a = new MerkleHash(Bytes);
        var b = new MerkleHash((byte[])Bytes.Clone());

        Assert.True(a == b);
        Assert.False(a != b);
        Assert.True(a.Equals((object)b));
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(31)]
    public void Equals_OneByteDiffers_IsNotEqual(int position)
    {
        var changed = (byte[])Bytes.Clone();
        changed[position] ^= 1;

        Assert.True(new MerkleHash(Bytes) != new MerkleHash(changed));
    }
}
