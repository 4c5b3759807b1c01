using ExchangeGateway.Common.Crypto.Merkle;

namespace ExchangeGateway.Common.Crypto.Batch;

/// <summary>
/// Signs many messages with one private-key operation (ARCHITECTURE.md §5): the digests become the
/// leaves of an RFC 6962 tree, the root (with the batch size) is signed once, and each message gets
/// its inclusion path. A batch of one costs one signature, as unbatched signing would.
/// </summary>
public static class BatchSigner
{
    /// <summary>The leaf hash of a message digest: SHA-256(0x00 ‖ digest), RFC 6962 §2.1.</summary>
    public static MerkleHash LeafHash(ReadOnlySpan<byte> messageDigest) => MerkleHasher.HashLeafFromDigest(messageDigest);

    /// <summary>
    /// Signs <paramref name="messageDigests"/> as one batch. <paramref name="signContent"/> produces the
    /// detached CMS signature over the bytes it is given (the Signer's key never leaves the Signer).
    /// Results are in the order of the digests.
    /// </summary>
    public static BatchSignature[] Sign(IReadOnlyList<ReadOnlyMemory<byte>> messageDigests, Func<byte[], byte[]> signContent)
    {
        ArgumentNullException.ThrowIfNull(messageDigests);
        ArgumentNullException.ThrowIfNull(signContent);
        if (messageDigests.Count == 0)
        {
            throw new ArgumentException("A batch needs at least one message.", nameof(messageDigests));
        }

        var tree = new MerkleTree();
        foreach (var digest in messageDigests)
        {
            tree.AppendLeafHash(LeafHash(digest.Span));
        }

        var root = new BatchRoot(tree.Size, tree.RootHash);
        var cms = signContent(root.ToSignedContent());
        var result = new BatchSignature[messageDigests.Count];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = new BatchSignature(cms, tree.Size, i, tree.GetInclusionProof(i, tree.Size));
        }

        return result;
    }
}
