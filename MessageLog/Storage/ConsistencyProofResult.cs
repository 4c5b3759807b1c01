using ExchangeGateway.Common.Crypto.Merkle;

namespace ExchangeGateway.MessageLog.Storage;

/// <summary>That the tree of <see cref="To"/> extends the tree of <see cref="From"/> (RFC 6962 §2.1.2).</summary>
/// <param name="From">The older signed checkpoint.</param>
/// <param name="To">The newer signed checkpoint.</param>
/// <param name="Proof">The consistency proof; empty when the sizes are equal.</param>
public sealed record ConsistencyProofResult(StoredCheckpoint From, StoredCheckpoint To, IReadOnlyList<MerkleHash> Proof);
