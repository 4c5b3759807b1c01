using System.Globalization;
using ExchangeGateway.Common.Crypto.Merkle;
using Microsoft.Data.Sqlite;

namespace ExchangeGateway.MessageLog.Storage;

/// <summary>
/// Serves RFC 6962 inclusion and consistency proofs from a stored message log, always against signed
/// checkpoints, so that an auditor can check a record or the log's growth with
/// <see cref="MerkleProofs"/> and the checkpoint's signature alone. Reads through its own read-only
/// connection, beside a running <see cref="MessageLogStore"/> or on a copy of the database.
/// </summary>
/// <remarks>
/// Record <c>n</c> is leaf <c>n − 1</c>, as the integrator appends them. Subtree hashes are cached in
/// memory (<see cref="StoredSubtreeHashes"/>), filled lazily up to the largest tree size asked about: the
/// first proof against a tree of n records reads n leaf hashes and hashes about n nodes once; every later
/// proof costs O(log n) cached lookups plus leaves appended since. The cache trusts that the log is
/// append-only, as the store guarantees; a changed database needs a new instance (MessageLog/README.md).
/// Thread-safe.
/// </remarks>
public sealed class MessageLogProofs : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly StoredSubtreeHashes _tree = new();
    private readonly Lock _gate = new();

    private MessageLogProofs(SqliteConnection connection)
    {
        _connection = connection;
    }

    /// <summary>Opens <paramref name="databasePath"/> read-only.</summary>
    /// <exception cref="SqliteException">The file cannot be opened.</exception>
    public static MessageLogProofs Open(string databasePath, TimeSpan busyTimeout)
    {
        ArgumentException.ThrowIfNullOrEmpty(databasePath);
        return new MessageLogProofs(LogFiles.Open(Path.GetFullPath(databasePath), SqliteOpenMode.ReadOnly, busyTimeout));
    }

    /// <summary>The newest <paramref name="limit"/> checkpoints, newest first.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="limit"/> is not positive.</exception>
    /// <exception cref="SqliteException">The database cannot be read.</exception>
    public IReadOnlyList<StoredCheckpoint> Checkpoints(int limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        lock (_gate)
        {
            using var cmd = _connection.CreateCommand();
            cmd.CommandText = $"SELECT {LogSchema.CheckpointColumns} FROM checkpoint ORDER BY tree_size DESC LIMIT $limit;";
            cmd.Parameters.AddWithValue("$limit", limit);
            using var r = cmd.ExecuteReader();
            var list = new List<StoredCheckpoint>();
            while (r.Read())
            {
                list.Add(LogRows.ReadCheckpoint(r));
            }

            return list;
        }
    }

    /// <summary>
    /// The oldest time-stamped checkpoint that covers record <paramref name="sequence"/> (tree size ≥ sequence),
    /// or null when none does yet: the checkpoint an evidence bundle of that record is proven against. The
    /// oldest is chosen because it was stamped closest to the record's time.
    /// </summary>
    /// <exception cref="SqliteException">The database cannot be read.</exception>
    public StoredCheckpoint? OldestStampedCheckpointCovering(long sequence)
    {
        lock (_gate)
        {
            using var cmd = _connection.CreateCommand();
            cmd.CommandText = $"SELECT {LogSchema.CheckpointColumns} FROM checkpoint WHERE tree_size >= $seq AND token IS NOT NULL ORDER BY tree_size LIMIT 1;";
            cmd.Parameters.AddWithValue("$seq", sequence);
            using var r = cmd.ExecuteReader();
            return r.Read() ? LogRows.ReadCheckpoint(r) : null;
        }
    }

    /// <summary>Those of <paramref name="sequences"/> whose body was erased by body retention (<c>body_state</c> 1).</summary>
    /// <exception cref="SqliteException">The database cannot be read.</exception>
    public IReadOnlySet<long> ErasedBodies(IEnumerable<long> sequences)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        var erased = new HashSet<long>();
        lock (_gate)
        {
            using var cmd = _connection.CreateCommand();
            cmd.CommandText = $"SELECT body_state FROM record WHERE seq = $seq;";
            var parameter = cmd.Parameters.Add("$seq", SqliteType.Integer);
            foreach (var sequence in sequences)
            {
                parameter.Value = sequence;
                if (cmd.ExecuteScalar() is long state && state == LogSchema.BodyErased)
                {
                    erased.Add(sequence);
                }
            }
        }

        return erased;
    }

    /// <summary>
    /// The inclusion proof of record <paramref name="sequence"/> in the tree of the checkpoint of
    /// <paramref name="treeSize"/> records.
    /// </summary>
    /// <returns>
    /// The proof, or <see cref="MessageLogProofFailure.InvalidRange"/> (size not positive),
    /// <see cref="MessageLogProofFailure.UnknownSequence"/> (no such record under that size),
    /// <see cref="MessageLogProofFailure.NotACheckpoint"/> or <see cref="MessageLogProofFailure.Inconsistent"/>.
    /// </returns>
    /// <exception cref="SqliteException">The database cannot be read.</exception>
    public MessageLogProof<InclusionProofResult> InclusionProof(long sequence, long treeSize)
    {
        if (treeSize <= 0)
        {
            return MessageLogProof<InclusionProofResult>.Fail(
                MessageLogProofFailure.InvalidRange, treeSize, $"Tree size {Text(treeSize)} holds no records.");
        }

        if (sequence < 1 || sequence > treeSize)
        {
            return MessageLogProof<InclusionProofResult>.Fail(
                MessageLogProofFailure.UnknownSequence, sequence, $"Record {Text(sequence)} is not in a tree of {Text(treeSize)} records (sequences start at 1).");
        }

        lock (_gate)
        {
            var checkpoint = ReadCheckpoint(treeSize);
            if (checkpoint is null)
            {
                return MessageLogProof<InclusionProofResult>.Fail(
                    MessageLogProofFailure.NotACheckpoint, treeSize, $"No checkpoint has tree size {Text(treeSize)}.");
            }

            if (Load(treeSize) is { } problem)
            {
                return problem.Sequence == sequence
                    ? MessageLogProof<InclusionProofResult>.Fail(MessageLogProofFailure.UnknownSequence, sequence, $"Record {Text(sequence)} is not stored: {problem.Problem}.")
                    : MessageLogProof<InclusionProofResult>.Fail(MessageLogProofFailure.Inconsistent, problem.Sequence, $"The log under checkpoint {Text(treeSize)} is broken: {problem.Problem}.");
            }

            var proof = MerkleProofBuilder.InclusionProof(_tree, sequence - 1, treeSize);
            return MessageLogProof<InclusionProofResult>.Ok(
                new InclusionProofResult(sequence, _tree.GetSubtreeHash(0, sequence - 1), proof, checkpoint));
        }
    }

    /// <summary>
    /// The consistency proof that the checkpoint of <paramref name="newSize"/> records extends the checkpoint
    /// of <paramref name="oldSize"/> records.
    /// </summary>
    /// <returns>
    /// The proof, or <see cref="MessageLogProofFailure.InvalidRange"/> (a size not positive, or old above new),
    /// <see cref="MessageLogProofFailure.NotACheckpoint"/> (naming the first size without one) or
    /// <see cref="MessageLogProofFailure.Inconsistent"/>.
    /// </returns>
    /// <exception cref="SqliteException">The database cannot be read.</exception>
    public MessageLogProof<ConsistencyProofResult> ConsistencyProof(long oldSize, long newSize)
    {
        if (oldSize <= 0 || newSize <= 0)
        {
            return MessageLogProof<ConsistencyProofResult>.Fail(
                MessageLogProofFailure.InvalidRange, oldSize <= 0 ? oldSize : newSize, $"Tree sizes must be positive (from {Text(oldSize)}, to {Text(newSize)}).");
        }

        if (oldSize > newSize)
        {
            return MessageLogProof<ConsistencyProofResult>.Fail(
                MessageLogProofFailure.InvalidRange, oldSize, $"The old size {Text(oldSize)} is larger than the new size {Text(newSize)}; a log never shrinks.");
        }

        lock (_gate)
        {
            var from = ReadCheckpoint(oldSize);
            if (from is null)
            {
                return MessageLogProof<ConsistencyProofResult>.Fail(
                    MessageLogProofFailure.NotACheckpoint, oldSize, $"No checkpoint has tree size {Text(oldSize)}.");
            }

            var to = ReadCheckpoint(newSize);
            if (to is null)
            {
                return MessageLogProof<ConsistencyProofResult>.Fail(
                    MessageLogProofFailure.NotACheckpoint, newSize, $"No checkpoint has tree size {Text(newSize)}.");
            }

            if (Load(newSize) is { } problem)
            {
                return MessageLogProof<ConsistencyProofResult>.Fail(
                    MessageLogProofFailure.Inconsistent, problem.Sequence, $"The log under checkpoint {Text(newSize)} is broken: {problem.Problem}.");
            }

            return MessageLogProof<ConsistencyProofResult>.Ok(
                new ConsistencyProofResult(from, to, MerkleProofBuilder.ConsistencyProof(_tree, oldSize, newSize)));
        }
    }

    /// <summary>Closes the connection.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _connection.Dispose();
        }
    }

    private (long Sequence, string Problem)? Load(long size) => _tree.EnsureSize(_connection, size);

    private StoredCheckpoint? ReadCheckpoint(long treeSize)
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = $"SELECT {LogSchema.CheckpointColumns} FROM checkpoint WHERE tree_size = $size;";
        cmd.Parameters.AddWithValue("$size", treeSize);
        using var r = cmd.ExecuteReader();
        return r.Read() ? LogRows.ReadCheckpoint(r) : null;
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
