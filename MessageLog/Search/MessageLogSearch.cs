using System.Text;
using ExchangeGateway.Common.Crypto.Merkle;
using ExchangeGateway.MessageLog.Records;
using ExchangeGateway.MessageLog.Storage;
using Microsoft.Data.Sqlite;

namespace ExchangeGateway.MessageLog.Search;

/// <summary>
/// The auditor's record search (issue #7): metadata of the records matching a <see cref="RecordQuery"/>,
/// in sequence order, through a read-only connection of its own beside a running store (or on a copy).
/// Thread-safe.
/// </summary>
/// <remarks>
/// One SQL statement with a parameter per filter. SQLite answers a message-id search from the
/// <c>record_message_id</c> index and a time range from <c>record_at</c> (every record in the range is
/// read, so narrow ranges are cheap); other filters alone scan from <see cref="RecordQuery.After"/> in
/// sequence order until the page is full. Heads, signatures, OCSP responses and bodies are never read.
/// </remarks>
public sealed class MessageLogSearch : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly Lock _gate = new();

    private MessageLogSearch(SqliteConnection connection)
    {
        _connection = connection;
    }

    /// <summary>Opens <paramref name="databasePath"/> read-only.</summary>
    /// <exception cref="SqliteException">The file cannot be opened.</exception>
    public static MessageLogSearch Open(string databasePath, TimeSpan busyTimeout)
    {
        ArgumentException.ThrowIfNullOrEmpty(databasePath);
        return new MessageLogSearch(LogFiles.Open(Path.GetFullPath(databasePath), SqliteOpenMode.ReadOnly, busyTimeout));
    }

    /// <summary>One page of records matching <paramref name="query"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The limit is not 1 to <see cref="RecordQuery.MaxLimit"/>, or <c>After</c> is negative.</exception>
    /// <exception cref="SqliteException">The database cannot be read.</exception>
    /// <exception cref="InvalidDataException">A stored row breaks the schema (tampering or corruption).</exception>
    public RecordPage Search(RecordQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(query.Limit, RecordQuery.MaxLimit);
        ArgumentOutOfRangeException.ThrowIfNegative(query.After);
        lock (_gate)
        {
            using var cmd = _connection.CreateCommand();
            var sql = new StringBuilder(
                "SELECT seq, leaf_hash, logged_at, side, kind, at, request_id, message_id, client_id, service_id, user_id, http_status, error_code, body_length, body_state, body IS NULL "
                + "FROM record WHERE seq > $after");
            cmd.Parameters.AddWithValue("$after", query.After);
            Filter(cmd, sql, " AND at >= $from", "$from", query.From is { } from ? LogTime.ToUnixMicroseconds(from) : null);
            Filter(cmd, sql, " AND at < $to", "$to", query.To is { } to ? LogTime.ToUnixMicroseconds(to) : null);
            Filter(cmd, sql, " AND client_id = $client", "$client", query.ClientId);
            Filter(cmd, sql, " AND service_id = $service", "$service", query.ServiceId);
            Filter(cmd, sql, " AND message_id = $message", "$message", query.MessageId);
            Filter(cmd, sql, " AND request_id = $request", "$request", query.RequestId is { } request ? request.ToByteArray(bigEndian: true) : null);
            Filter(cmd, sql, " AND side = $side", "$side", query.Side is { } side ? (long)side : null);
            Filter(cmd, sql, " AND kind = $kind", "$kind", query.Kind is { } kind ? (long)kind : null);
            sql.Append(query.Outcome switch
            {
                RecordOutcome.Success => " AND error_code IS NULL AND (http_status IS NULL OR http_status < 400)",
                RecordOutcome.Error => " AND (error_code IS NOT NULL OR http_status >= 400)",
                _ => string.Empty,
            });

            // One more than asked tells whether another page exists.
            sql.Append(" ORDER BY seq LIMIT $limit;");
            cmd.Parameters.AddWithValue("$limit", query.Limit + 1);
            cmd.CommandText = sql.ToString();
            using var r = cmd.ExecuteReader();
            var list = new List<RecordSummary>();
            while (r.Read())
            {
                if (list.Count == query.Limit)
                {
                    return new RecordPage(list, list[^1].Sequence);
                }

                list.Add(Read(r));
            }

            return new RecordPage(list, null);
        }
    }

    /// <summary>The query plan SQLite chooses for the time and message-id filters of <paramref name="query"/> (tests check the index used).</summary>
    internal string Explain(RecordQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        lock (_gate)
        {
            using var cmd = _connection.CreateCommand();
            var sql = new StringBuilder("EXPLAIN QUERY PLAN SELECT seq FROM record WHERE seq > $after");
            cmd.Parameters.AddWithValue("$after", query.After);
            Filter(cmd, sql, " AND at >= $from", "$from", query.From is { } from ? LogTime.ToUnixMicroseconds(from) : null);
            Filter(cmd, sql, " AND at < $to", "$to", query.To is { } to ? LogTime.ToUnixMicroseconds(to) : null);
            Filter(cmd, sql, " AND message_id = $message", "$message", query.MessageId);
            sql.Append(" ORDER BY seq LIMIT 1;");
            cmd.CommandText = sql.ToString();
            using var r = cmd.ExecuteReader();
            var plan = new StringBuilder();
            while (r.Read())
            {
                plan.Append(r.GetString(3)).Append('\n');
            }

            return plan.ToString();
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

    private static void Filter(SqliteCommand cmd, StringBuilder sql, string clause, string name, object? value)
    {
        if (value is not null)
        {
            sql.Append(clause);
            cmd.Parameters.AddWithValue(name, value);
        }
    }

    private static RecordSummary Read(SqliteDataReader r)
    {
        var sequence = r.GetInt64(0);
        try
        {
            var leaf = LogRows.Blob(r, 1);
            if (!MerkleHash.TryCreate(leaf, out var leafHash))
            {
                throw new InvalidDataException($"record {sequence}: the stored leaf hash is {leaf.Length} bytes");
            }

            var side = r.GetInt64(3);
            var kind = r.GetInt64(4);
            if (side is not ((long)RecordSide.Client or (long)RecordSide.Server) || kind is not ((long)RecordKind.Request or (long)RecordKind.Response))
            {
                throw new InvalidDataException($"record {sequence}: unknown side {side} or kind {kind}");
            }

            return new RecordSummary(
                sequence,
                LogTime.FromUnixMicroseconds(r.GetInt64(5)),
                LogTime.FromUnixMicroseconds(r.GetInt64(2)),
                (RecordSide)side,
                (RecordKind)kind,
                r.GetString(7),
                new Guid(LogRows.Blob(r, 6), bigEndian: true),
                r.GetString(8),
                r.GetString(9),
                r.IsDBNull(10) ? null : r.GetString(10),
                r.IsDBNull(11) ? null : checked((int)r.GetInt64(11)),
                r.IsDBNull(12) ? null : r.GetString(12),
                r.GetInt64(13),
                BodyState(r.GetInt64(14), r.GetBoolean(15)),
                leafHash);
        }
        catch (Exception ex) when (ex is InvalidCastException or ArgumentException or OverflowException)
        {
            throw new InvalidDataException($"record {sequence} cannot be read: {ex.Message}", ex);
        }
    }

    private static BodyLocation BodyState(long state, bool bodyIsNull) => state switch
    {
        LogSchema.BodyAsWritten => bodyIsNull ? BodyLocation.NotLogged : BodyLocation.Present,
        LogSchema.BodyErased => BodyLocation.Erased,
        LogSchema.RecordArchived => BodyLocation.Archived,
        _ => throw new InvalidDataException($"unknown body state {state}"),
    };
}
