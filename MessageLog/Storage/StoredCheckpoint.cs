using ExchangeGateway.Common.Crypto.Merkle;

namespace ExchangeGateway.MessageLog.Storage;

/// <summary>A checkpoint as stored: what it asserts, its canonical bytes, their signature and, once stamped, the time-stamp.</summary>
/// <param name="TreeSize">Records covered (sequences 1 to TreeSize).</param>
/// <param name="RootHash">The RFC 6962 root over their leaves.</param>
/// <param name="CreatedAt">When the integrator made it (microsecond precision).</param>
/// <param name="Content">The canonical bytes (<see cref="Integration.Checkpoint.Encode"/>) that were signed.</param>
/// <param name="Signature">Detached CMS SignedData over <paramref name="Content"/> by the server's signing key.</param>
/// <param name="Token">The RFC 3161 time-stamp token over SHA-256(<paramref name="Signature"/>); null while unstamped.</param>
/// <param name="StampedAt">The token's genTime; null while unstamped.</param>
/// <param name="TsaUrl">The TSA that issued the token.</param>
public sealed record StoredCheckpoint(
    long TreeSize,
    MerkleHash RootHash,
    DateTimeOffset CreatedAt,
    ReadOnlyMemory<byte> Content,
    ReadOnlyMemory<byte> Signature,
    ReadOnlyMemory<byte>? Token,
    DateTimeOffset? StampedAt,
    string? TsaUrl)
{
    /// <summary>The status view of this checkpoint.</summary>
    public CheckpointStatus ToStatus() => new(TreeSize, CreatedAt, StampedAt);
}
