using System.Globalization;
using Microsoft.Data.Sqlite;

namespace ExchangeGateway.CentralServer.Publication;

/// <summary>
/// SQLite store of what the Central Server has published: configuration-signing keys (certificates and
/// key-file names, never key material), every signed generation with its publication-log leaf, and the
/// signed log checkpoints. Kept apart from the registry database: publication is a consumer of the
/// registry, not part of it.
/// </summary>
public sealed class PublicationStore : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly Lock _gate = new();

    /// <summary>Opens or creates <c>publication.db</c> in <paramref name="directory"/>.</summary>
    public PublicationStore(string directory)
    {
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(directory, "publication.db"), Pooling = false }.ToString());
        _connection.Open();
        Execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;");
        Execute("""
            CREATE TABLE IF NOT EXISTS signing_key (
                id TEXT PRIMARY KEY NOT NULL,
                state TEXT NOT NULL,
                created_at TEXT NOT NULL,
                certificate BLOB NOT NULL,
                key_file TEXT NOT NULL
            );
            CREATE TABLE IF NOT EXISTS published_configuration (
                serial INTEGER PRIMARY KEY NOT NULL,
                generated_at TEXT NOT NULL,
                expires_at TEXT NOT NULL,
                registry_version INTEGER NOT NULL,
                envelope BLOB NOT NULL,
                content_sha256 TEXT NOT NULL,
                log_index INTEGER NOT NULL UNIQUE,
                leaf_hash BLOB NOT NULL
            );
            CREATE TABLE IF NOT EXISTS log_checkpoint (
                tree_size INTEGER PRIMARY KEY NOT NULL,
                root_hash BLOB NOT NULL,
                signature BLOB NOT NULL,
                created_at TEXT NOT NULL
            );
            """);
    }

    /// <summary>All signing keys, oldest first.</summary>
    public IReadOnlyList<(string Id, SigningKeyState State, DateTimeOffset CreatedAt, byte[] Certificate, string KeyFile)> ListSigningKeys()
    {
        lock (_gate)
        {
            using var cmd = _connection.CreateCommand();
            cmd.CommandText = "SELECT id, state, created_at, certificate, key_file FROM signing_key ORDER BY created_at, id;";
            using var r = cmd.ExecuteReader();
            var list = new List<(string, SigningKeyState, DateTimeOffset, byte[], string)>();
            while (r.Read())
            {
                list.Add((r.GetString(0), Enum.Parse<SigningKeyState>(r.GetString(1)), ParseTime(r.GetString(2)), (byte[])r.GetValue(3), r.GetString(4)));
            }

            return list;
        }
    }

    /// <summary>Records a new key.</summary>
    public void AddSigningKey(string id, SigningKeyState state, DateTimeOffset createdAt, byte[] certificate, string keyFile)
    {
        lock (_gate)
        {
            using var cmd = _connection.CreateCommand();
            cmd.CommandText = "INSERT INTO signing_key (id, state, created_at, certificate, key_file) VALUES ($id, $state, $at, $cert, $file);";
            cmd.Parameters.AddWithValue("$id", id);
            cmd.Parameters.AddWithValue("$state", state.ToString());
            cmd.Parameters.AddWithValue("$at", FormatTime(createdAt));
            cmd.Parameters.AddWithValue("$cert", certificate);
            cmd.Parameters.AddWithValue("$file", keyFile);
            cmd.ExecuteNonQuery();
        }
    }

    /// <summary>Moves keys between states in one transaction (activation demotes the old active key).</summary>
    public void SetSigningKeyStates(IReadOnlyList<(string Id, SigningKeyState State)> changes)
    {
        lock (_gate)
        {
            using var tx = _connection.BeginTransaction();
            foreach (var (id, state) in changes)
            {
                using var cmd = _connection.CreateCommand();
                cmd.Transaction = tx;
                cmd.CommandText = "UPDATE signing_key SET state = $state WHERE id = $id;";
                cmd.Parameters.AddWithValue("$id", id);
                cmd.Parameters.AddWithValue("$state", state.ToString());
                cmd.ExecuteNonQuery();
            }

            tx.Commit();
        }
    }

    /// <summary>Stores a generation and the checkpoint that now covers it, atomically.</summary>
    public void AddPublication(PublishedConfiguration published, byte[] leafHash, long treeSize, byte[] rootHash, byte[] checkpointSignature, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(published);
        lock (_gate)
        {
            using var tx = _connection.BeginTransaction();
            using (var cmd = _connection.CreateCommand())
            {
                cmd.Transaction = tx;
                cmd.CommandText = """
                    INSERT INTO published_configuration (serial, generated_at, expires_at, registry_version, envelope, content_sha256, log_index, leaf_hash)
                    VALUES ($serial, $gen, $exp, $ver, $env, $sha, $idx, $leaf);
                    """;
                cmd.Parameters.AddWithValue("$serial", published.Serial);
                cmd.Parameters.AddWithValue("$gen", FormatTime(published.GeneratedAt));
                cmd.Parameters.AddWithValue("$exp", FormatTime(published.ExpiresAt));
                cmd.Parameters.AddWithValue("$ver", published.RegistryVersion);
                cmd.Parameters.AddWithValue("$env", published.Envelope);
                cmd.Parameters.AddWithValue("$sha", published.ContentSha256);
                cmd.Parameters.AddWithValue("$idx", published.LogIndex);
                cmd.Parameters.AddWithValue("$leaf", leafHash);
                cmd.ExecuteNonQuery();
            }

            using (var cmd = _connection.CreateCommand())
            {
                cmd.Transaction = tx;
                cmd.CommandText = "INSERT INTO log_checkpoint (tree_size, root_hash, signature, created_at) VALUES ($size, $root, $sig, $at);";
                cmd.Parameters.AddWithValue("$size", treeSize);
                cmd.Parameters.AddWithValue("$root", rootHash);
                cmd.Parameters.AddWithValue("$sig", checkpointSignature);
                cmd.Parameters.AddWithValue("$at", FormatTime(at));
                cmd.ExecuteNonQuery();
            }

            tx.Commit();
        }
    }

    /// <summary>The newest generation, or null before the first.</summary>
    public PublishedConfiguration? Latest() => QueryPublication("ORDER BY serial DESC LIMIT 1", null);

    /// <summary>One generation by serial.</summary>
    public PublishedConfiguration? Find(long serial) => QueryPublication("WHERE serial = $serial", serial);

    /// <summary>Every publication-log leaf hash in log order (to rebuild the in-memory tree on start).</summary>
    public IReadOnlyList<byte[]> LeafHashes()
    {
        lock (_gate)
        {
            using var cmd = _connection.CreateCommand();
            cmd.CommandText = "SELECT leaf_hash FROM published_configuration ORDER BY log_index;";
            using var r = cmd.ExecuteReader();
            var list = new List<byte[]>();
            while (r.Read())
            {
                list.Add((byte[])r.GetValue(0));
            }

            return list;
        }
    }

    /// <summary>The newest signed checkpoint, or null before the first publication.</summary>
    public (long TreeSize, byte[] RootHash, byte[] Signature, DateTimeOffset CreatedAt)? LatestCheckpoint()
    {
        lock (_gate)
        {
            using var cmd = _connection.CreateCommand();
            cmd.CommandText = "SELECT tree_size, root_hash, signature, created_at FROM log_checkpoint ORDER BY tree_size DESC LIMIT 1;";
            using var r = cmd.ExecuteReader();
            return r.Read() ? (r.GetInt64(0), (byte[])r.GetValue(1), (byte[])r.GetValue(2), ParseTime(r.GetString(3))) : null;
        }
    }

    /// <inheritdoc />
    public void Dispose() => _connection.Dispose();

    private PublishedConfiguration? QueryPublication(string clause, long? serial)
    {
        lock (_gate)
        {
            using var cmd = _connection.CreateCommand();
            cmd.CommandText = $"SELECT serial, generated_at, expires_at, registry_version, envelope, content_sha256, log_index FROM published_configuration {clause};";
            if (serial is { } s)
            {
                cmd.Parameters.AddWithValue("$serial", s);
            }

            using var r = cmd.ExecuteReader();
            return r.Read()
                ? new PublishedConfiguration(r.GetInt64(0), ParseTime(r.GetString(1)), ParseTime(r.GetString(2)), r.GetInt64(3), (byte[])r.GetValue(4), r.GetString(5), r.GetInt64(6))
                : null;
        }
    }

    private void Execute(string sql)
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    private static string FormatTime(DateTimeOffset t) => t.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    private static DateTimeOffset ParseTime(string s) => DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
}
