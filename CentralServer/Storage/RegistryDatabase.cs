using System.Globalization;
using Microsoft.Data.Sqlite;

namespace ExchangeGateway.CentralServer.Storage;

/// <summary>
/// The Central Server's SQLite database (<c>central.db</c> in the data directory, WAL): registry, API keys
/// and audit log. One connection, used under one lock, so every operation sees and leaves a consistent
/// state; SQLite transactions make each change atomic and keep other processes (the offline
/// <c>create-api-key</c> command) consistent with us.
/// </summary>
public sealed class RegistryDatabase : IDisposable
{
    /// <summary>The database file name inside the data directory.</summary>
    public const string FileName = "central.db";

    /// <summary>The schema this code reads and writes (<c>PRAGMA user_version</c>).</summary>
    public const int SchemaVersion = 4;

    private readonly SqliteConnection _connection;
    private readonly Lock _gate = new();

    private RegistryDatabase(SqliteConnection connection, string path, bool created)
    {
        _connection = connection;
        FilePath = path;
        Created = created;
    }

    /// <summary>The database file.</summary>
    public string FilePath { get; }

    /// <summary>True when this open created the database (first start).</summary>
    public bool Created { get; }

    /// <summary>The instance id stored at creation.</summary>
    public string InstanceId { get; private set; } = string.Empty;

    /// <summary>
    /// Opens the database in <paramref name="dataDirectory"/>, creating directory, file and schema on first
    /// start with <paramref name="instanceId"/>. On later starts the stored instance id must equal it.
    /// </summary>
    /// <exception cref="InvalidOperationException">The stored instance differs, or the schema is newer than this code.</exception>
    public static RegistryDatabase OpenOrCreate(string dataDirectory, string instanceId, TimeProvider time)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataDirectory);
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        ArgumentNullException.ThrowIfNull(time);
        CreatePrivateDirectory(dataDirectory);
        var path = Path.GetFullPath(Path.Combine(dataDirectory, FileName));
        CreatePrivateFile(path);
        var connection = Connect(path, SqliteOpenMode.ReadWriteCreate);
        try
        {
            var db = new RegistryDatabase(connection, path, created: UserVersion(connection) == 0);
            db.Migrate(instanceId, time);
            return db;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Opens an existing database (for offline commands); null when none exists yet.</summary>
    /// <exception cref="InvalidOperationException">The schema is newer than this code.</exception>
    public static RegistryDatabase? OpenExisting(string dataDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataDirectory);
        var path = Path.GetFullPath(Path.Combine(dataDirectory, FileName));
        if (!File.Exists(path))
        {
            return null;
        }

        var connection = Connect(path, SqliteOpenMode.ReadWrite);
        try
        {
            var version = UserVersion(connection);
            if (version == 0)
            {
                connection.Dispose();
                return null;
            }

            CheckSchema(version);
            var db = new RegistryDatabase(connection, path, created: false);
            db.InstanceId = db.ReadInstanceId();
            return db;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Runs <paramref name="work"/> in one write transaction (BEGIN IMMEDIATE); commits when it returns normally and <paramref name="commit"/> says so.</summary>
    internal T Write<T>(Func<SqliteConnection, SqliteTransaction, T> work, Func<T, bool> commit)
    {
        lock (_gate)
        {
            using var tx = _connection.BeginTransaction(deferred: false);
            var result = work(_connection, tx);
            if (commit(result))
            {
                tx.Commit();
            }
            else
            {
                tx.Rollback();
            }

            return result;
        }
    }

    /// <summary>Runs <paramref name="work"/> in one read transaction, so everything it reads is one version.</summary>
    internal T Read<T>(Func<SqliteConnection, SqliteTransaction, T> work)
    {
        lock (_gate)
        {
            using var tx = _connection.BeginTransaction(deferred: true);
            var result = work(_connection, tx);
            tx.Commit();
            return result;
        }
    }

    /// <summary>True when the database answers a query (readiness).</summary>
    public bool IsReadable()
    {
        try
        {
            return Read((c, tx) => Sql.Scalar<long>(c, tx, "SELECT version FROM registry_state WHERE id = 1;") >= 0);
        }
        catch (SqliteException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            _connection.Dispose();
        }
    }

    // The database holds API key hashes and the audit log: readable by the service account only.
    private static void CreatePrivateDirectory(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
        }
        else if (!Directory.Exists(directory))
        {
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    // An empty file is a new database to SQLite; creating it first fixes its mode, and SQLite gives
    // the -wal and -shm files the database file's permissions.
    private static void CreatePrivateFile(string path)
    {
        if (OperatingSystem.IsWindows() || File.Exists(path))
        {
            return;
        }

        try
        {
            using var _ = new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            });
        }
        catch (IOException) when (File.Exists(path))
        {
            // Created concurrently by another process; SQLite opens it as is.
        }
    }

    private static SqliteConnection Connect(string path, SqliteOpenMode mode)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = mode,
            Pooling = false,
            DefaultTimeout = 10,
        }.ToString());
        connection.Open();
        Sql.Execute(connection, null, "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=5000; PRAGMA synchronous=FULL;");
        return connection;
    }

    private static long UserVersion(SqliteConnection connection, SqliteTransaction? tx = null) => Sql.Scalar<long>(connection, tx, "PRAGMA user_version;");

    private static void CheckSchema(long version)
    {
        if (version > SchemaVersion)
        {
            throw new InvalidOperationException(
                $"The Central Server database has schema version {version.ToString(CultureInfo.InvariantCulture)}, newer than this program understands ({SchemaVersion.ToString(CultureInfo.InvariantCulture)}). Use a newer release.");
        }
    }

    private void Migrate(string instanceId, TimeProvider time)
    {
        lock (_gate)
        {
            using var tx = _connection.BeginTransaction(deferred: false);
            var version = UserVersion(_connection, tx);
            CheckSchema(version);
            if (version < 1)
            {
                Sql.Execute(_connection, tx, Schema.V1);
                Sql.Execute(
                    _connection,
                    tx,
                    "INSERT INTO registry_state (id, instance_id, version, created_at) VALUES (1, $instance, 0, $at);",
                    ("$instance", instanceId),
                    ("$at", Sql.Time(time.GetUtcNow())));
            }

            if (version < 2)
            {
                Sql.Execute(_connection, tx, Schema.V2);
            }

            if (version < 3)
            {
                Sql.Execute(_connection, tx, Schema.V3);
            }

            if (version < 4)
            {
                Sql.Execute(_connection, tx, Schema.V4);
            }

            if (version < SchemaVersion)
            {
                Sql.Execute(_connection, tx, $"PRAGMA user_version = {SchemaVersion.ToString(CultureInfo.InvariantCulture)};");
            }

            tx.Commit();
        }

        InstanceId = ReadInstanceId();
        if (!string.Equals(InstanceId, instanceId, StringComparison.Ordinal))
        {
            throw new InvalidOperationException(
                $"The database in {Path.GetDirectoryName(FilePath)} belongs to instance '{InstanceId}', but CentralServer:InstanceId is '{instanceId}'. An instance id cannot change; fix the setting or use another data directory.");
        }
    }

    private string ReadInstanceId() =>
        Read((c, tx) => Sql.Scalar<string>(c, tx, "SELECT instance_id FROM registry_state WHERE id = 1;"));
}
