using ExchangeGateway.Common.Crypto.Merkle;

namespace ExchangeGateway.Common.Crypto.Batch;

/// <summary>
/// One message's share of a batch signature: the CMS signature over the batch root, and where the
/// message sits in the batch. All messages of a batch share <see cref="Cms"/>.
/// </summary>
/// <param name="Cms">Detached CMS SignedData over <see cref="BatchRoot.ToSignedContent"/>.</param>
/// <param name="TreeSize">Messages in the batch.</param>
/// <param name="LeafIndex">This message's position, from zero.</param>
/// <param name="InclusionPath">RFC 6962 audit path from this message's leaf to the root; empty for a batch of one.</param>
public sealed record BatchSignature(byte[] Cms, long TreeSize, long LeafIndex, IReadOnlyList<MerkleHash> InclusionPath);
