using ExchangeGateway.Common.Crypto.Merkle;

namespace ExchangeGateway.MessageLog.Evidence;

/// <summary>
/// One of the two checkpoints an export lies between, as the header carries it. The empty tree (size 0)
/// is never signed: it has no content, signature or token.
/// </summary>
/// <param name="TreeSize">Records covered.</param>
/// <param name="Content">The canonical checkpoint bytes (<see cref="Integration.Checkpoint"/>); null for the empty tree.</param>
/// <param name="Signature">Detached CMS over <paramref name="Content"/> by the server owner's signing key; null for the empty tree.</param>
/// <param name="TimeStampToken">The RFC 3161 token over SHA-256(<paramref name="Signature"/>), or null when it was not stamped.</param>
/// <param name="Frontier">
/// For the lower checkpoint only: the stored frontier of its tree, popcount(size) subtree roots, largest first,
/// from which its root is recomputed and the exported leaves are folded on. Null for the upper checkpoint.
/// </param>
public sealed record LogExportCheckpoint(
    long TreeSize,
    ReadOnlyMemory<byte>? Content,
    ReadOnlyMemory<byte>? Signature,
    ReadOnlyMemory<byte>? TimeStampToken,
    IReadOnlyList<MerkleHash>? Frontier);
