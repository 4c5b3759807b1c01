using System.Buffers.Binary;
using System.Security.Cryptography;
using ExchangeGateway.Common.Crypto.Batch;
using ExchangeGateway.Common.Crypto.Merkle;
using ExchangeGateway.Common.Results;

namespace ExchangeGateway.Signer.Tests.Batch;

public sealed class BatchSignatureEncodingTests
{
    // A syntactically valid DER SEQUENCE standing in for the CMS: the encoding does not look inside.
    private static readonly byte[] FakeCms = [0x30, 0x03, 0x02, 0x01, 0x05];

    private static BatchSignature[] SignBatch(int size) =>
        BatchSigner.Sign(
            [.. Enumerable.Range(0, size).Select(i => (ReadOnlyMemory<byte>)SHA256.HashData(BitConverter.GetBytes(i)))],
            _ => FakeCms);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(256)]
    [InlineData(257)]
    public void Encode_EveryLeafOfABatch_RoundTrips(int size)
    {
        foreach (var signature in SignBatch(size))
        {
            var encoded = BatchSignatureEncoding.Encode(signature);
            Assert.Equal(BatchSignatureEncoding.GetEncodedLength(signature), encoded.Length);

            var decoded = BatchSignatureEncoding.TryDecode(encoded);

            Assert.True(decoded.Success, decoded.Message);
            Assert.Equal(signature.TreeSize, decoded.Value.TreeSize);
            Assert.Equal(signature.LeafIndex, decoded.Value.LeafIndex);
            Assert.Equal(signature.Cms, decoded.Value.Cms);
            Assert.Equal(signature.InclusionPath, decoded.Value.InclusionPath);
        }
    }

    [Fact]
    public void Encode_LayoutIsAsDocumented()
    {
        var signature = SignBatch(3)[2];
        var encoded = BatchSignatureEncoding.Encode(signature);

        Assert.Equal(1, encoded[0]);
        Assert.Equal(3, BinaryPrimitives.ReadInt64BigEndian(encoded.AsSpan(1)));
        Assert.Equal(2, BinaryPrimitives.ReadInt64BigEndian(encoded.AsSpan(9)));
        Assert.Equal(1, encoded[17]);
        Assert.Equal(signature.InclusionPath[0].ToArray(), encoded.AsSpan(18, 32).ToArray());
        Assert.Equal((uint)FakeCms.Length, BinaryPrimitives.ReadUInt32BigEndian(encoded.AsSpan(50)));
        Assert.Equal(FakeCms, encoded.AsSpan(54).ToArray());
    }

    [Fact]
    public void TryEncode_ShortDestination_ReturnsFalse()
    {
        var signature = SignBatch(4)[1];
        var buffer = new byte[BatchSignatureEncoding.GetEncodedLength(signature)];

        Assert.False(BatchSignatureEncoding.TryEncode(signature, buffer.AsSpan(1), out _));
        Assert.True(BatchSignatureEncoding.TryEncode(signature, buffer, out var written));
        Assert.Equal(buffer.Length, written);
        Assert.Equal(BatchSignatureEncoding.Encode(signature), buffer);
    }

    [Fact]
    public void Encode_InvalidSignature_Throws()
    {
        var good = SignBatch(4)[1];

        Assert.Throws<ArgumentException>(() => BatchSignatureEncoding.Encode(good with { LeafIndex = 4 }));
        Assert.Throws<ArgumentException>(() => BatchSignatureEncoding.Encode(good with { InclusionPath = [] }));
        Assert.Throws<ArgumentException>(() => BatchSignatureEncoding.Encode(good with { Cms = [] }));
        Assert.Throws<ArgumentException>(() => BatchSignatureEncoding.Encode(good with { Cms = new byte[BatchSignatureEncoding.MaxCmsLength + 1] }));
    }

    public static TheoryData<string, byte[]> MalformedBlobs()
    {
        var valid = BatchSignatureEncoding.Encode(SignBatch(5)[3]);
        byte[] With(Action<byte[]> change)
        {
            var copy = (byte[])valid.Clone();
            change(copy);
            return copy;
        }

        var bigCms = new byte[BatchSignatureEncoding.MaxCmsLength + 1];
        var oversize = new byte[18 + 4 + bigCms.Length];
        oversize[0] = 1;
        BinaryPrimitives.WriteInt64BigEndian(oversize.AsSpan(1), 1);
        BinaryPrimitives.WriteUInt32BigEndian(oversize.AsSpan(18), (uint)bigCms.Length);

        var pathStart = 18;
        var cmsLengthAt = pathStart + (valid[17] * 32);
        return new TheoryData<string, byte[]>
        {
            { "empty", [] },
            { "header only, cut", valid[..17] },
            { "version 0", With(b => b[0] = 0) },
            { "version 2", With(b => b[0] = 2) },
            { "tree size 0", With(b => BinaryPrimitives.WriteInt64BigEndian(b.AsSpan(1), 0)) },
            { "tree size above 2^63-1", With(b => BinaryPrimitives.WriteUInt64BigEndian(b.AsSpan(1), ulong.MaxValue)) },
            { "index equals size", With(b => BinaryPrimitives.WriteInt64BigEndian(b.AsSpan(9), 5)) },
            { "index above size", With(b => BinaryPrimitives.WriteInt64BigEndian(b.AsSpan(9), long.MaxValue)) },
            { "path one short", With(b => b[17]--) },
            { "path one long", With(b => b[17]++) },
            { "path length 255", With(b => b[17] = 255) },
            { "cut inside the path", valid[..(pathStart + 40)] },
            { "cut before the CMS length", valid[..cmsLengthAt] },
            { "CMS length 0", With(b => BinaryPrimitives.WriteUInt32BigEndian(b.AsSpan(cmsLengthAt), 0)) },
            { "CMS length larger than the rest", With(b => BinaryPrimitives.WriteUInt32BigEndian(b.AsSpan(cmsLengthAt), 6)) },
            { "CMS length above 64 KiB", With(b => BinaryPrimitives.WriteUInt32BigEndian(b.AsSpan(cmsLengthAt), uint.MaxValue)) },
            { "CMS cut", valid[..^1] },
            { "trailing byte", [.. valid, 0] },
            { "CMS not a SEQUENCE", With(b => b[^5] = 0x31) },
            { "CMS with a non-minimal DER length", [.. valid[..cmsLengthAt], 0, 0, 0, 6, 0x30, 0x81, 0x03, 0x02, 0x01, 0x05] },
            { "CMS with an inner length beyond its end", With(b => b[^4] = 0x04) },
            { "CMS above 64 KiB", oversize },
        };
    }

    [Theory]
    [MemberData(nameof(MalformedBlobs))]
    public void TryDecode_MalformedBlob_FailsAsMalformed(string why, byte[] blob)
    {
        var result = BatchSignatureEncoding.TryDecode(blob);

        Assert.False(result.Success, why);
        Assert.Equal(TrustFailure.Malformed.ToCode(), result.ErrorCode);
    }

    [Fact]
    public void TryDecode_RandomMutations_NeverThrowAndOnlyAcceptConsistentSignatures()
    {
        // Seeded, so a failure reproduces; every accepted blob must re-encode to itself.
        var random = new Random(20260104);
        var valid = BatchSignatureEncoding.Encode(SignBatch(11)[6]);
        for (var i = 0; i < 20_000; i++)
        {
            var blob = (byte[])valid.Clone();
            var flips = random.Next(1, 4);
            for (var f = 0; f < flips; f++)
            {
                blob[random.Next(blob.Length)] = (byte)random.Next(256);
            }

            if (random.Next(8) == 0)
            {
                blob = blob[..random.Next(blob.Length)];
            }

            var result = BatchSignatureEncoding.TryDecode(blob);
            if (result.Success)
            {
                Assert.Equal(blob, BatchSignatureEncoding.Encode(result.Value));
            }
        }
    }

    [Fact]
    public void TryDecode_DecodedSignature_StillVerifiesItsInclusionPath()
    {
        var digests = Enumerable.Range(0, 9).Select(i => SHA256.HashData(BitConverter.GetBytes(i))).ToArray();
        var signatures = BatchSigner.Sign([.. digests.Select(d => (ReadOnlyMemory<byte>)d)], _ => FakeCms);
        var tree = new MerkleTree();
        foreach (var d in digests)
        {
            tree.AppendLeafHash(BatchSigner.LeafHash(d));
        }

        for (var i = 0; i < digests.Length; i++)
        {
            var decoded = BatchSignatureEncoding.TryDecode(BatchSignatureEncoding.Encode(signatures[i])).GetValueOrThrow();
            var root = MerkleProofs.RootFromInclusionProof(BatchSigner.LeafHash(digests[i]), decoded.LeafIndex, decoded.TreeSize, [.. decoded.InclusionPath]);
            Assert.True(root.IsValid);
            Assert.Equal(tree.RootHash, root.Value);
        }
    }
}
