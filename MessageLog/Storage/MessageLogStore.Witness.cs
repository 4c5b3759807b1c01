using ExchangeGateway.MessageLog.Records;
using Microsoft.Data.Sqlite;

namespace ExchangeGateway.MessageLog.Storage;

// The Central Server's witness statements over this log's checkpoints (the witness table, schema v2).
public sealed partial class MessageLogStore
{
    private const string WitnessColumns = "tree_size, witnessed_at, witness_url, statement, signature";

    /// <summary>
    /// Stores a statement through the writer. A statement for a tree size already witnessed replaces the older
    /// one: witnessing the same checkpoint again says the same thing, later.
    /// </summary>
    /// <returns>Success, or <see cref="LogFailure.DatabaseError"/> / <see cref="LogFailure.Closed"/>.</returns>
    /// <exception cref="ArgumentException">The statement or signature is empty, or the size is not positive.</exception>
    public Task<AppendResult> SaveWitnessAsync(StoredWitness witness, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(witness);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(witness.TreeSize, nameof(witness));
        if (witness.Statement.IsEmpty || witness.Signature.IsEmpty)
        {
            throw new ArgumentException("A witness statement and its signature must not be empty.", nameof(witness));
        }

        var statement = witness.Statement.ToArray();
        var signature = witness.Signature.ToArray();
        return WriteControlAsync(
            (c, tx) =>
            {
                using var cmd = c.CreateCommand();
                cmd.Transaction = tx;
                cmd.CommandText = """
                    INSERT INTO witness (tree_size, witnessed_at, witness_url, statement, signature)
                    VALUES ($size, $at, $url, $statement, $signature)
                    ON CONFLICT (tree_size) DO UPDATE SET witnessed_at = excluded.witnessed_at, witness_url = excluded.witness_url,
                        statement = excluded.statement, signature = excluded.signature;
                    """;
                cmd.Parameters.AddWithValue("$size", witness.TreeSize);
                cmd.Parameters.AddWithValue("$at", LogTime.ToUnixMicroseconds(witness.WitnessedAt));
                cmd.Parameters.AddWithValue("$url", witness.WitnessUrl);
                cmd.Parameters.AddWithValue("$statement", statement);
                cmd.Parameters.AddWithValue("$signature", signature);
                cmd.ExecuteNonQuery();
            },
            null,
            cancellationToken);
    }

    /// <summary>The statement over the largest witnessed tree size, or null when nothing was witnessed.</summary>
    /// <exception cref="SqliteException">The database cannot be read.</exception>
    public StoredWitness? LatestWitness() => QueryWitnesses("ORDER BY tree_size DESC LIMIT 1").SingleOrDefault();

    /// <summary>The statement over exactly <paramref name="treeSize"/> records, or null when that checkpoint was not witnessed.</summary>
    /// <exception cref="SqliteException">The database cannot be read.</exception>
    public StoredWitness? WitnessAt(long treeSize) =>
        QueryWitnesses($"WHERE tree_size = {treeSize.ToString(System.Globalization.CultureInfo.InvariantCulture)}").SingleOrDefault();

    /// <summary>Every stored statement, smallest tree size first.</summary>
    /// <exception cref="SqliteException">The database cannot be read.</exception>
    public IReadOnlyList<StoredWitness> Witnesses() => QueryWitnesses("ORDER BY tree_size");

    private List<StoredWitness> QueryWitnesses(string clause)
    {
        lock (_readGate)
        {
            using var cmd = _reader.CreateCommand();
            cmd.CommandText = $"SELECT {WitnessColumns} FROM witness {clause};";
            using var r = cmd.ExecuteReader();
            var list = new List<StoredWitness>();
            while (r.Read())
            {
                list.Add(new StoredWitness(r.GetInt64(0), LogTime.FromUnixMicroseconds(r.GetInt64(1)), r.GetString(2), LogRows.Blob(r, 3), LogRows.Blob(r, 4)));
            }

            return list;
        }
    }
}
