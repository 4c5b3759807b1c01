using ExchangeGateway.Common.Crypto.Merkle;
using ExchangeGateway.MessageLog.Integration;

namespace ExchangeGateway.MessageLog.Verification;

/// <summary>
/// How far a <see cref="LogIntegrityVerifier"/> got: records 1 to <see cref="TreeSize"/> verified, and the
/// RFC 6962 frontier of their leaves (the roots of the perfect subtrees, popcount(size) hashes), from which
/// the next run continues without reading those records again. Immutable.
/// </summary>
public sealed record LogPosition
{
    private readonly byte[] _frontier;

    private LogPosition(long treeSize, byte[] frontier, MerkleHash rootHash)
    {
        TreeSize = treeSize;
        _frontier = frontier;
        RootHash = rootHash;
    }

    /// <summary>The empty tree: nothing verified yet.</summary>
    public static LogPosition Empty { get; } = new(0, [], MerkleHasher.EmptyRoot);

    /// <summary>Records verified (1 to this).</summary>
    public long TreeSize { get; }

    /// <summary>The RFC 6962 root of those records' leaves.</summary>
    public MerkleHash RootHash { get; }

    /// <summary>The frontier, concatenated left to right.</summary>
    public ReadOnlyMemory<byte> Frontier => _frontier;

    /// <summary>
    /// A position from a saved frontier; false when <paramref name="frontier"/> cannot be the frontier of
    /// <paramref name="treeSize"/> leaves. Nothing says the leaves were checked: callers compare
    /// <see cref="RootHash"/> with a signed root before trusting it.
    /// </summary>
    public static bool TryCreate(long treeSize, ReadOnlySpan<byte> frontier, out LogPosition position)
    {
        if (!MerkleFrontier.TryRestore(treeSize, frontier, out var restored))
        {
            position = Empty;
            return false;
        }

        position = From(restored);
        return true;
    }

    internal static LogPosition From(MerkleFrontier frontier) => new(frontier.Size, frontier.ToBytes(), frontier.RootHash);

    internal MerkleFrontier Restore() =>
        MerkleFrontier.TryRestore(TreeSize, _frontier, out var frontier) ? frontier : throw new InvalidOperationException("A position's frontier always restores.");

    /// <inheritdoc />
    public bool Equals(LogPosition? other) =>
        other is not null && other.TreeSize == TreeSize && other.RootHash == RootHash;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(TreeSize, RootHash);
}
