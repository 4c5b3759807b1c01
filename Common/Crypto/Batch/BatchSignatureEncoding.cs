using System.Buffers.Binary;
using System.Formats.Asn1;
using ExchangeGateway.Common.Crypto.Merkle;
using ExchangeGateway.Common.Results;

namespace ExchangeGateway.Common.Crypto.Batch;

/// <summary>
/// The wire form of a <see cref="BatchSignature"/>, as it travels with a message and is stored in the
/// message log. Version 1, every integer big-endian, nothing before or after:
/// <code>
/// offset  size      field
/// 0       1         version = 0x01
/// 1       8         treeSize     (1 ≤ treeSize ≤ 2^63 − 1)
/// 9       8         leafIndex    (0 ≤ leafIndex &lt; treeSize)
/// 17      1         pathLength   (exactly the RFC 6962 inclusion-proof length for leafIndex in treeSize; ≤ 64)
/// 18      32 × n    path         (RFC 6962 audit path, leaf side first)
/// 18+32n  4         cmsLength    (1 ≤ cmsLength ≤ 65,536)
/// 22+32n  cmsLength cms          (one DER SEQUENCE: the detached CMS SignedData over the batch root)
/// </code>
/// The decoder is strict: an unknown version, an out-of-range index, a path whose length does not fit
/// the tree shape, an oversized or non-DER CMS, or any trailing byte is rejected. It proves nothing about
/// the signature: that is <see cref="BatchSignatureVerifier"/>'s job.
/// </summary>
public static class BatchSignatureEncoding
{
    /// <summary>The one version this code writes and reads.</summary>
    public const byte Version = 1;

    /// <summary>The largest CMS accepted. Ours are about 1 KiB with a chain of two; 64 KiB leaves room for long chains.</summary>
    public const int MaxCmsLength = 64 * 1024;

    /// <summary>The most path hashes any tree of at most 2^63 − 1 leaves can need.</summary>
    public const int MaxPathLength = 64;

    /// <summary>Length of the fixed part before the path: version, tree size, leaf index, path length.</summary>
    private const int HeaderLength = 1 + 8 + 8 + 1;

    /// <summary>The largest valid encoding.</summary>
    public const int MaxEncodedLength = HeaderLength + (MaxPathLength * MerkleHash.SizeInBytes) + 4 + MaxCmsLength;

    /// <summary>The length of <paramref name="signature"/>'s encoding.</summary>
    /// <exception cref="ArgumentException">The signature breaks a bound of the format (a bug in the caller).</exception>
    public static int GetEncodedLength(BatchSignature signature)
    {
        ArgumentNullException.ThrowIfNull(signature);
        Check(signature);
        return HeaderLength + (signature.InclusionPath.Count * MerkleHash.SizeInBytes) + 4 + signature.Cms.Length;
    }

    /// <summary>Encodes <paramref name="signature"/>.</summary>
    /// <exception cref="ArgumentException">The signature breaks a bound of the format (a bug in the caller).</exception>
    public static byte[] Encode(BatchSignature signature)
    {
        var output = new byte[GetEncodedLength(signature)];
        Write(signature, output);
        return output;
    }

    /// <summary>Encodes <paramref name="signature"/> into <paramref name="destination"/>; false when it is too short.</summary>
    /// <exception cref="ArgumentException">The signature breaks a bound of the format (a bug in the caller).</exception>
    public static bool TryEncode(BatchSignature signature, Span<byte> destination, out int written)
    {
        var length = GetEncodedLength(signature);
        if (destination.Length < length)
        {
            written = 0;
            return false;
        }

        Write(signature, destination);
        written = length;
        return true;
    }

    /// <summary>Decodes untrusted bytes; every failure is <c>malformed</c> with the reason.</summary>
    public static ParseResult<BatchSignature> TryDecode(ReadOnlySpan<byte> encoded)
    {
        if (encoded.Length > MaxEncodedLength)
        {
            return Fail($"{encoded.Length} bytes exceed the largest valid encoding of {MaxEncodedLength}");
        }

        if (encoded.Length < HeaderLength)
        {
            return Fail($"{encoded.Length} bytes are shorter than the {HeaderLength}-byte header");
        }

        if (encoded[0] != Version)
        {
            return Fail($"version {encoded[0]} is not supported (expected {Version})");
        }

        var treeSize = BinaryPrimitives.ReadUInt64BigEndian(encoded[1..]);
        var leafIndex = BinaryPrimitives.ReadUInt64BigEndian(encoded[9..]);
        int pathLength = encoded[17];
        if (treeSize is 0 or > long.MaxValue)
        {
            return Fail($"tree size {treeSize} is outside 1 to 2^63 − 1");
        }

        if (leafIndex >= treeSize)
        {
            return Fail($"leaf index {leafIndex} is not below the tree size {treeSize}");
        }

        // RFC 6962 §2.1.1 fixes the path length for each (index, size); anything else cannot verify and
        // is refused here, before any hashing.
        var expectedPath = MerkleProofShape.InclusionLength(leafIndex, treeSize);
        if (pathLength != expectedPath)
        {
            return Fail($"the path has {pathLength} hashes; leaf {leafIndex} of {treeSize} needs {expectedPath}");
        }

        var rest = encoded[HeaderLength..];
        var pathBytes = pathLength * MerkleHash.SizeInBytes;
        if (rest.Length < pathBytes + 4)
        {
            return Fail("the encoding ends inside the path or before the CMS length");
        }

        var path = new MerkleHash[pathLength];
        for (var i = 0; i < pathLength; i++)
        {
            path[i] = new MerkleHash(rest.Slice(i * MerkleHash.SizeInBytes, MerkleHash.SizeInBytes));
        }

        rest = rest[pathBytes..];
        var cmsLength = BinaryPrimitives.ReadUInt32BigEndian(rest);
        rest = rest[4..];
        if (cmsLength is 0 or > MaxCmsLength)
        {
            return Fail($"the CMS length {cmsLength} is outside 1 to {MaxCmsLength}");
        }

        if ((uint)rest.Length != cmsLength)
        {
            return rest.Length < cmsLength
                ? Fail($"the encoding ends {cmsLength - rest.Length} bytes into the CMS")
                : Fail($"{rest.Length - cmsLength} bytes follow the CMS");
        }

        if (!IsSingleDerSequence(rest))
        {
            return Fail("the CMS is not exactly one DER SEQUENCE");
        }

        return ParseResult<BatchSignature>.Ok(new BatchSignature(rest.ToArray(), (long)treeSize, (long)leafIndex, path));
    }

    private static void Write(BatchSignature signature, Span<byte> output)
    {
        output[0] = Version;
        BinaryPrimitives.WriteInt64BigEndian(output[1..], signature.TreeSize);
        BinaryPrimitives.WriteInt64BigEndian(output[9..], signature.LeafIndex);
        output[17] = (byte)signature.InclusionPath.Count;
        var offset = HeaderLength;
        foreach (var hash in signature.InclusionPath)
        {
            hash.CopyTo(output[offset..]);
            offset += MerkleHash.SizeInBytes;
        }

        BinaryPrimitives.WriteUInt32BigEndian(output[offset..], (uint)signature.Cms.Length);
        signature.Cms.CopyTo(output[(offset + 4)..]);
    }

    private static void Check(BatchSignature signature)
    {
        ArgumentNullException.ThrowIfNull(signature.Cms, nameof(signature));
        ArgumentNullException.ThrowIfNull(signature.InclusionPath, nameof(signature));
        if (signature.TreeSize < 1 || signature.LeafIndex < 0 || signature.LeafIndex >= signature.TreeSize)
        {
            throw new ArgumentException($"Leaf index {signature.LeafIndex} is outside a batch of {signature.TreeSize}.", nameof(signature));
        }

        var expected = MerkleProofShape.InclusionLength((ulong)signature.LeafIndex, (ulong)signature.TreeSize);
        if (signature.InclusionPath.Count != expected)
        {
            throw new ArgumentException($"The inclusion path has {signature.InclusionPath.Count} hashes; leaf {signature.LeafIndex} of {signature.TreeSize} needs {expected}.", nameof(signature));
        }

        if (signature.Cms.Length is 0 or > MaxCmsLength)
        {
            throw new ArgumentException($"The CMS is {signature.Cms.Length} bytes; the format allows 1 to {MaxCmsLength}.", nameof(signature));
        }
    }

    private static bool IsSingleDerSequence(ReadOnlySpan<byte> cms) =>
        AsnDecoder.TryReadEncodedValue(cms, AsnEncodingRules.DER, out var tag, out _, out _, out var consumed)
        && consumed == cms.Length
        && tag == Asn1Tag.Sequence;

    private static ParseResult<BatchSignature> Fail(string reason) =>
        ParseResult<BatchSignature>.Fail(TrustFailure.Malformed.ToCode(), "batch signature: " + reason);
}
