using ExchangeGateway.Common.Crypto.Merkle;

namespace ExchangeGateway.MessageLog.Archiving;

/// <summary>One records-part entry as read, before any check: the verifier and the store judge it.</summary>
internal sealed class ArchiveEntry
{
    public required long Sequence { get; init; }

    public required MerkleHash Leaf { get; init; }

    public required byte[] Canonical { get; init; }

    public required ArchivedBody BodyKind { get; init; }

    /// <summary>The body (plain) or ciphertext (encrypted); null when there is none or it was skipped.</summary>
    public byte[]? Body { get; init; }

    /// <summary>The GCM tag of an encrypted body.</summary>
    public byte[]? Tag { get; init; }
}
