using System.Globalization;
using ExchangeGateway.Common.Crypto.Merkle;
using Microsoft.Data.Sqlite;

namespace ExchangeGateway.MessageLog.Storage;

/// <summary>
/// The complete-subtree hashes of the message log's tree, read from the <c>record</c> table's leaf hashes
/// and kept in memory: leaf i of the tree is record i + 1. Filled lazily up to the largest tree size asked
/// about; because the log is append-only, a hash never changes once cached, so later requests read only
/// the new leaves.
/// </summary>
/// <remarks>
/// One list per level, like <see cref="MerkleTree"/>: about two 32-byte hashes per record (64 MB for a
/// million records). Not thread-safe: <see cref="MessageLogProofs"/> serialises access.
/// </remarks>
internal sealed class StoredSubtreeHashes : ISubtreeHashSource
{
    private const int Chunk = 4096;
    private readonly List<List<MerkleHash>> _levels = [[]];

    /// <summary>Leaves loaded so far.</summary>
    public long Size => _levels[0].Count;

    /// <inheritdoc />
    public MerkleHash GetSubtreeHash(int level, long index) => _levels[level][checked((int)index)];

    /// <summary>
    /// Loads leaves until the tree holds <paramref name="size"/> of them. Returns null when done, or the
    /// first sequence that is missing (a gap or the end of the table) or whose leaf hash is not 32 bytes.
    /// </summary>
    public (long Sequence, string Problem)? EnsureSize(SqliteConnection connection, long size)
    {
        while (Size < size)
        {
            using var cmd = connection.CreateCommand();
            cmd.CommandText = "SELECT seq, leaf_hash FROM record WHERE seq > $after ORDER BY seq LIMIT $max;";
            cmd.Parameters.AddWithValue("$after", Size);
            cmd.Parameters.AddWithValue("$max", (int)Math.Min(Chunk, size - Size));
            using var r = cmd.ExecuteReader();
            var read = 0;
            while (r.Read())
            {
                read++;
                var expected = Size + 1;
                var sequence = r.GetInt64(0);
                if (sequence != expected)
                {
                    return (expected, $"record {expected.ToString(CultureInfo.InvariantCulture)} is missing (the next stored is {sequence.ToString(CultureInfo.InvariantCulture)})");
                }

                if (!MerkleHash.TryCreate(LogRows.Blob(r, 1), out var leaf))
                {
                    return (sequence, $"the stored leaf hash of record {sequence.ToString(CultureInfo.InvariantCulture)} is not {MerkleHash.SizeInBytes} bytes");
                }

                Append(leaf);
            }

            if (read == 0)
            {
                var missing = Size + 1;
                return (missing, $"record {missing.ToString(CultureInfo.InvariantCulture)} is missing (the table ends before tree size {size.ToString(CultureInfo.InvariantCulture)})");
            }
        }

        return null;
    }

    private void Append(in MerkleHash leaf)
    {
        var index = _levels[0].Count;
        _levels[0].Add(leaf);

        // A right child (odd index) completes its parent: carry upwards like a binary counter.
        var hash = leaf;
        var level = 0;
        while ((index & 1) == 1)
        {
            hash = MerkleHasher.HashChildren(_levels[level][index - 1], hash);
            level++;
            index >>= 1;
            if (_levels.Count == level)
            {
                _levels.Add([]);
            }

            _levels[level].Add(hash);
        }
    }
}
