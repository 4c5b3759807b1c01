using System.Security.Cryptography;

namespace ExchangeGateway.Common.Crypto.Merkle;

/// <summary>
/// The RFC 6962 §2.1 hash functions with SHA-256: the empty tree, leaves and interior nodes.
/// </summary>
/// <remarks>
/// Leaves and nodes are hashed with different one-byte prefixes (0x00 and 0x01) so that a leaf can
/// never be passed off as an interior node, which would allow a second-preimage attack on the tree.
/// Every method hashes from stack buffers and allocates nothing on the heap, except
/// <see cref="HashLeaf"/> for leaf data over 1 KiB.
/// </remarks>
public static class MerkleHasher
{
    private const byte LeafPrefix = 0x00;
    private const byte NodePrefix = 0x01;

    // Leaf data up to this size is prefixed in a stack buffer; larger data is streamed instead of copied.
    private const int StackLeafLimit = 1024;

    // A SHA-2 digest used as leaf data: SHA-256 up to SHA-512.
    private const int MinDigestLength = 32;
    private const int MaxDigestLength = 64;

    /// <summary>The root of the empty tree: SHA-256 of the empty string (RFC 6962 §2.1, MTH({})).</summary>
    public static MerkleHash EmptyRoot { get; } = ComputeEmptyRoot();

    /// <summary>The leaf hash SHA-256(0x00 ‖ <paramref name="leafData"/>) (RFC 6962 §2.1, MTH({d(0)})).</summary>
    public static MerkleHash HashLeaf(ReadOnlySpan<byte> leafData)
    {
        MerkleHashBuffer result = default;
        if (leafData.Length <= StackLeafLimit)
        {
            Span<byte> input = stackalloc byte[1 + leafData.Length];
            input[0] = LeafPrefix;
            leafData.CopyTo(input[1..]);
            SHA256.HashData(input, result);
        }
        else
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            hash.AppendData([LeafPrefix]);
            hash.AppendData(leafData);
            hash.GetHashAndReset(result);
        }

        return new MerkleHash(result);
    }

    /// <summary>
    /// The leaf hash of a leaf whose data is a digest the caller has already computed, such as the
    /// SHA-256 of a message-log record: SHA-256(0x00 ‖ <paramref name="leafDataDigest"/>).
    /// </summary>
    /// <remarks>
    /// The message log hashes each record once (it may be megabytes, streamed) and uses that digest as
    /// the leaf data, so the tree never touches record bodies and a record's body can later be erased
    /// while the leaf still verifies. The result equals <see cref="HashLeaf"/> applied to the digest.
    /// </remarks>
    /// <exception cref="ArgumentException">The digest is not 32 to 64 bytes long (SHA-256 to SHA-512).</exception>
    public static MerkleHash HashLeafFromDigest(ReadOnlySpan<byte> leafDataDigest)
    {
        if (leafDataDigest.Length is < MinDigestLength or > MaxDigestLength)
        {
            throw new ArgumentException(
                $"A leaf-data digest is {MinDigestLength} to {MaxDigestLength} bytes, not {leafDataDigest.Length}.",
                nameof(leafDataDigest));
        }

        Span<byte> input = stackalloc byte[1 + MaxDigestLength];
        input[0] = LeafPrefix;
        leafDataDigest.CopyTo(input[1..]);
        MerkleHashBuffer result = default;
        SHA256.HashData(input[..(1 + leafDataDigest.Length)], result);
        return new MerkleHash(result);
    }

    /// <summary>The interior node hash SHA-256(0x01 ‖ left ‖ right) (RFC 6962 §2.1).</summary>
    public static MerkleHash HashChildren(in MerkleHash left, in MerkleHash right)
    {
        Span<byte> input = stackalloc byte[1 + (2 * MerkleHash.SizeInBytes)];
        input[0] = NodePrefix;
        left.AsSpan().CopyTo(input[1..]);
        right.AsSpan().CopyTo(input[(1 + MerkleHash.SizeInBytes)..]);
        MerkleHashBuffer result = default;
        SHA256.HashData(input, result);
        return new MerkleHash(result);
    }

    private static MerkleHash ComputeEmptyRoot()
    {
        MerkleHashBuffer result = default;
        SHA256.HashData(ReadOnlySpan<byte>.Empty, result);
        return new MerkleHash(result);
    }
}
