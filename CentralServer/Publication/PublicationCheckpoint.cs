using System.Buffers.Binary;
using ExchangeGateway.Common.Crypto.Merkle;

namespace ExchangeGateway.CentralServer.Publication;

/// <summary>
/// A signed head of the publication log: every configuration the Central Server ever published is a
/// leaf, so a member holding two checkpoints can demand a consistency proof and detect a split view
/// (two members shown different histories).
/// </summary>
/// <param name="TreeSize">Generations in the log.</param>
/// <param name="RootHash">RFC 6962 root over them.</param>
/// <param name="Signature">Detached CMS over <see cref="SignedContent"/> by the active configuration-signing key.</param>
public sealed record PublicationCheckpoint(long TreeSize, MerkleHash RootHash, byte[] Signature)
{
    // The label keeps these bytes distinct from anything else the same key signs (configuration content is JSON).
    private static ReadOnlySpan<byte> Label => "xgw-conf-log-v1:"u8;

    /// <summary>The bytes the checkpoint signature covers: label, big-endian size, root.</summary>
    public static byte[] SignedContent(long treeSize, MerkleHash root)
    {
        var content = new byte[16 + 8 + MerkleHash.SizeInBytes];
        Label.CopyTo(content);
        BinaryPrimitives.WriteInt64BigEndian(content.AsSpan(16), treeSize);
        root.CopyTo(content.AsSpan(24));
        return content;
    }
}
