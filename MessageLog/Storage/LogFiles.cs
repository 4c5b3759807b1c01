using System.Globalization;
using Microsoft.Data.Sqlite;

namespace ExchangeGateway.MessageLog.Storage;

/// <summary>The database file and connections: private file modes, WAL, and bounded lock waits.</summary>
internal static class LogFiles
{
    private const UnixFileMode PrivateDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode PrivateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    // The log holds message bodies and personal data: readable by the service account only. SQLite gives
    // the -wal and -shm files the mode of the database file, so creating that file first fixes all three.
    public static void CreatePrivate(string path)
    {
        var directory = Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(directory) && !Directory.Exists(directory))
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(directory);
            }
            else
            {
                Directory.CreateDirectory(directory, PrivateDirectory);
            }
        }

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
                UnixCreateMode = PrivateFile,
            });
        }
        catch (IOException) when (File.Exists(path))
        {
            // Created concurrently by another process; SQLite opens it as is.
        }
    }

    /// <summary>Opens a connection; <paramref name="busyTimeout"/> bounds waits for other connections' locks.</summary>
    public static SqliteConnection Open(string path, SqliteOpenMode mode, TimeSpan busyTimeout)
    {
        // Microsoft.Data.Sqlite retries a busy statement until its command timeout, counted in whole
        // seconds where 0 means forever; SQLite's own busy handler waits busy_timeout before each report.
        var seconds = Math.Max(1, (int)Math.Ceiling(busyTimeout.TotalSeconds));
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = mode,
            Pooling = false,
            DefaultTimeout = seconds,
        }.ToString());
        try
        {
            connection.Open();
            Execute(connection, null, $"PRAGMA busy_timeout = {((long)busyTimeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture)};");
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public static void Execute(SqliteConnection connection, SqliteTransaction? tx, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    public static T? Scalar<T>(SqliteConnection connection, SqliteTransaction? tx, string sql, params (string Name, object? Value)[] parameters)
    {
        using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            cmd.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        var result = cmd.ExecuteScalar();
        var type = Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T);
        return result is null or DBNull ? default : (T)Convert.ChangeType(result, type, CultureInfo.InvariantCulture);
    }
}
