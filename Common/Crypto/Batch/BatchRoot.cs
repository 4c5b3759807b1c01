using System.Buffers.Binary;
using ExchangeGateway.Common.Crypto.Merkle;

namespace ExchangeGateway.Common.Crypto.Batch;

/// <summary>
/// What one batch signature covers: the RFC 6962 root over the batch's message digests and the
/// batch size. The size is signed because RFC 6962 roots do not commit to it, and an inclusion
/// proof alone could then be read against a neighbouring size of the same shape.
/// </summary>
/// <param name="TreeSize">How many messages the batch holds (at least one).</param>
/// <param name="Root">The Merkle tree head over their leaf hashes.</param>
public readonly record struct BatchRoot(long TreeSize, MerkleHash Root)
{
    /// <summary>Length of <see cref="ToSignedContent"/>: label, size, root.</summary>
    public const int SignedContentLength = 16 + 8 + MerkleHash.SizeInBytes;

    // A fixed label separates these bytes from anything else a member signs with the same key, so a
    // batch signature can never be presented as a signature over a message head, and vice versa.
    private static ReadOnlySpan<byte> Label => "xgw-batch-root/1"u8;

    /// <summary>The exact bytes the CMS signature is computed over.</summary>
    public byte[] ToSignedContent()
    {
        var content = new byte[SignedContentLength];
        Label.CopyTo(content);
        BinaryPrimitives.WriteInt64BigEndian(content.AsSpan(16), TreeSize);
        Root.CopyTo(content.AsSpan(24));
        return content;
    }
}
