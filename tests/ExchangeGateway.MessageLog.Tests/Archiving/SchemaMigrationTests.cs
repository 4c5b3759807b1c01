using ExchangeGateway.Common.Crypto.Merkle;
using ExchangeGateway.MessageLog.Archiving;
using ExchangeGateway.MessageLog.Records;
using ExchangeGateway.MessageLog.Storage;
using ExchangeGateway.MessageLog.Tests.Support;
using ExchangeGateway.MessageLog.Verification;
using Microsoft.Data.Sqlite;

namespace ExchangeGateway.MessageLog.Tests.Archiving;

/// <summary>A log written by the schema-1 release opens under schema 2 with its data intact, then archives like any other.</summary>
public sealed class SchemaMigrationTests : IAsyncLifetime
{
    private readonly LogTestContext _context = new(ArchiveLog.Start);
    private readonly Dictionary<long, MessageRecord> _written = [];

    public Task InitializeAsync() => _context.StartTsaAsync();

    public async Task DisposeAsync() => await _context.DisposeAsync();

    [Fact]
    public async Task Open_SchemaVersion1File_UpgradedToVersion2WithDataIntact()
    {
        WriteVersion1Log(6);

        var store = _context.OpenStore();

        Assert.Equal(6, store.Count);
        using (var connection = Connect())
        {
            Assert.Equal(2L, Scalar(connection, "PRAGMA user_version;"));
            Assert.Equal(6L, Scalar(connection, "SELECT COUNT(*) FROM record WHERE body_state = 0 AND archive_id IS NULL;"));
            Assert.Equal(0L, Scalar(connection, "SELECT COUNT(*) FROM archive;"));
            Assert.Equal(0L, Scalar(connection, "SELECT COUNT(*) FROM witness;"));
            Assert.Equal(5L, Scalar(connection, "SELECT COUNT(*) FROM sqlite_schema WHERE type = 'index' AND name IN ('record_request_at', 'record_at', 'record_message_id', 'record_request_id', 'record_body_at');"));
            Assert.Contains("manifest_sha256", (string)Scalar(connection, "SELECT sql FROM sqlite_schema WHERE name = 'archive';")!, StringComparison.Ordinal);
        }

        for (long sequence = 1; sequence <= 6; sequence++)
        {
            var read = store.Read(sequence);
            Assert.True(read.IsSuccess, read.ToString());
            Assert.Equal(RecordEncoding.Canonical(sequence, _written[sequence]), RecordEncoding.Canonical(sequence, read.Record!.Logged.Record));
            Assert.Equal(_written[sequence].Body?.ToArray(), read.Record.Logged.Record.Body?.ToArray());
            Assert.Equal(sequence == 5 ? RecordBodyState.NotLogged : RecordBodyState.Present, read.Record.BodyState);
        }

        // The upgraded log takes records, checkpoints, archives and verifies.
        var appended = await store.AppendAsync(SampleRecords.Request(7, ArchiveLog.Start.AddMinutes(7)));
        Assert.Equal(7, appended.Sequence);
        var integrator = _context.Integrator(store);
        _context.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(7, (await integrator.IntegrateOnceAsync()).StampedCheckpoint);
        _context.Time.Advance(TimeSpan.FromDays(2));
        using var archiver = new MessageLogArchiver(store, new ArchiverOptions { ServerId = Common.Identifiers.SecurityServerId.Parse(LogTestContext.ServerId), ArchiveAfter = TimeSpan.FromDays(1) }, _context.SignAsync, _context.Time, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        Assert.Equal(7, (await archiver.RunOnceAsync(CancellationToken.None)).RecordsArchived);
        Assert.Equal(_written[3].Body!.Value.ToArray(), store.Get(3)!.Record.Body!.Value.ToArray());
        var verified = MessageLogVerifier.Verify(_context.DatabasePath, _context.VerifierOptions() with { ArchiveDirectory = store.ArchiveDirectory });
        Assert.True(verified.IsValid, verified.ToString());
        Assert.Equal(7, verified.ArchivedRecords);
    }

    // Exactly what the schema-1 store wrote: its DDL, its log_info row, user_version 1, records with their leaves.
    private void WriteVersion1Log(int count)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_context.DatabasePath)!);
        using var connection = new SqliteConnection($"Data Source={_context.DatabasePath};Pooling=False");
        connection.Open();
        using var tx = connection.BeginTransaction();
        Execute(connection, tx, LogSchema.V1);
        Execute(connection, tx, $"INSERT INTO log_info (id, format, created_at, probed_at) VALUES (1, 'xgw-message-log', {LogTime.ToUnixMicroseconds(ArchiveLog.Start)}, 0); PRAGMA user_version = 1;");
        for (long sequence = 1; sequence <= count; sequence++)
        {
            var record = SampleRecords.Request((int)sequence, ArchiveLog.Start.AddMinutes(sequence), logBody: sequence != 5);
            _written[sequence] = record with { At = LogTime.Truncate(record.At) };
            using var insert = connection.CreateCommand();
            insert.Transaction = tx;
            insert.CommandText = """
                INSERT INTO record (seq, leaf_hash, logged_at, side, kind, at, request_id, message_id, client_id, service_id,
                                    user_id, http_status, error_code, body_length, body_digest, head, signature, ocsp, body)
                VALUES ($seq, $leaf, $logged, $side, $kind, $at, $rid, $mid, $client, $service, $user, NULL, NULL, $blen, $bdigest, $head, $sig, $ocsp, $body);
                """;
            insert.Parameters.AddWithValue("$seq", sequence);
            insert.Parameters.AddWithValue("$leaf", MerkleHasher.HashLeaf(RecordEncoding.Canonical(sequence, record)).ToArray());
            insert.Parameters.AddWithValue("$logged", LogTime.ToUnixMicroseconds(ArchiveLog.Start));
            insert.Parameters.AddWithValue("$side", (int)record.Side);
            insert.Parameters.AddWithValue("$kind", (int)record.Kind);
            insert.Parameters.AddWithValue("$at", LogTime.ToUnixMicroseconds(record.At));
            insert.Parameters.AddWithValue("$rid", record.RequestId.ToByteArray(bigEndian: true));
            insert.Parameters.AddWithValue("$mid", record.MessageId);
            insert.Parameters.AddWithValue("$client", record.ClientId);
            insert.Parameters.AddWithValue("$service", record.ServiceId);
            insert.Parameters.AddWithValue("$user", record.UserId);
            insert.Parameters.AddWithValue("$blen", record.BodyLength);
            insert.Parameters.AddWithValue("$bdigest", record.BodyDigest.ToArray());
            insert.Parameters.AddWithValue("$head", record.Head.ToArray());
            insert.Parameters.AddWithValue("$sig", record.Signature.ToArray());
            insert.Parameters.AddWithValue("$ocsp", record.Ocsp.ToArray());
            insert.Parameters.AddWithValue("$body", record.Body is { } body ? body.ToArray() : DBNull.Value);
            Assert.Equal(1, insert.ExecuteNonQuery());
        }

        tx.Commit();
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction tx, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        return cmd.ExecuteScalar();
    }

    private SqliteConnection Connect()
    {
        var connection = new SqliteConnection($"Data Source={_context.DatabasePath};Pooling=False;Mode=ReadOnly");
        connection.Open();
        return connection;
    }
}
