using System.Security.Cryptography;
using ExchangeGateway.MessageLog.Records;
using ExchangeGateway.MessageLog.Storage;
using ExchangeGateway.MessageLog.Tests.Support;
using Microsoft.Data.Sqlite;

namespace ExchangeGateway.MessageLog.Tests.Storage;

public sealed class MessageLogStoreTests : IAsyncLifetime
{
    private readonly LogTestContext _context = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _context.DisposeAsync();

    [Fact]
    public async Task AppendAsync_64ConcurrentAppenders_SequencesGaplessAndUnique()
    {
        var store = _context.OpenStore();
        const int appenders = 64;
        const int perAppender = 40;

        var results = await Task.WhenAll(Enumerable.Range(0, appenders).Select(a => Task.Run(async () =>
        {
            var sequences = new List<long>();
            for (var i = 0; i < perAppender; i++)
            {
                var result = await store.AppendAsync(SampleRecords.Request((a * perAppender) + i, _context.Time.GetUtcNow(), bodySize: 64));
                Assert.True(result.IsSuccess, result.ToString());
                sequences.Add(result.Sequence);
            }

            return sequences;
        })));

        var all = results.SelectMany(s => s).Order().ToList();
        Assert.Equal(Enumerable.Range(1, appenders * perAppender).Select(i => (long)i), all);
        Assert.Equal(appenders * perAppender, store.Count);
        foreach (var sequences in results)
        {
            // One caller's appends are acknowledged in the order it made them.
            Assert.Equal(sequences.Order(), sequences);
        }
    }

    [Fact]
    public async Task AppendAsync_Reopened_RecordsDurableAndSequenceContinues()
    {
        var at = _context.Time.GetUtcNow().AddTicks(1234567);
        var request = SampleRecords.Request(1, at) with { ErrorCode = "server.service_failed" };
        var response = SampleRecords.Response(1, at, logBody: false);
        await using (var first = _context.OpenStore())
        {
            Assert.Equal(1, (await first.AppendAsync(request)).Sequence);
            Assert.Equal(2, (await first.AppendAsync(response)).Sequence);
        }

        await using var second = _context.OpenStore();

        Assert.Equal(2, second.Count);
        var stored = second.Get(1)!;
        Assert.Equal(1, stored.Sequence);
        Assert.Equal(RecordEncoding.LeafHash(1, request), stored.LeafHash);
        AssertSameRecord(request with { At = LogTime.Truncate(at) }, stored.Record);
        AssertSameRecord(response with { At = LogTime.Truncate(at) }, second.Get(2)!.Record);
        Assert.Null(second.Get(3));
        Assert.Equal(3, (await second.AppendAsync(SampleRecords.Request(2, at))).Sequence);
    }

    [Fact]
    public async Task AppendAsync_BurstOfConcurrentAppends_BatchedIntoFewerCommits()
    {
        var store = _context.OpenStore();
        const int records = 2000;

        // Queued faster than one fsync completes: the writer must take many per transaction.
        var tasks = Enumerable.Range(0, records).Select(i => store.AppendAsync(SampleRecords.Request(i, _context.Time.GetUtcNow(), bodySize: 64)).AsTask()).ToList();
        var results = await Task.WhenAll(tasks);

        Assert.All(results, r => Assert.True(r.IsSuccess));
        Assert.True(store.CommitCount <= records / 4, $"{store.CommitCount} commits for {records} records");
    }

    [Fact]
    public async Task AppendAsync_MaxBatchOne_OneCommitPerRecord()
    {
        var store = _context.OpenStore(o => o with { MaxBatch = 1 });

        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => store.AppendAsync(SampleRecords.Request(i, _context.Time.GetUtcNow())).AsTask()));

        Assert.Equal(20, store.CommitCount);
    }

    [Fact]
    public async Task AppendAsync_BodyLoggingOff_StoresOnlyDigestAndLength()
    {
        var store = _context.OpenStore();
        var record = SampleRecords.Request(5, _context.Time.GetUtcNow(), logBody: false, bodySize: 4096);

        var result = await store.AppendAsync(record);

        var stored = store.Get(result.Sequence)!.Record;
        Assert.Null(stored.Body);
        Assert.Equal(4096, stored.BodyLength);
        Assert.Equal(SHA512.HashData(SampleRecords.Body(5, 4096)), stored.BodyDigest.ToArray());
        await using var connection = new SqliteConnection($"Data Source={_context.DatabasePath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT body IS NULL, length(body_digest) FROM record WHERE seq = 1;";
        using var r = cmd.ExecuteReader();
        Assert.True(r.Read());
        Assert.Equal(1, r.GetInt64(0));
        Assert.Equal(64, r.GetInt64(1));
    }

    [Fact]
    public async Task AppendAsync_DatabaseLockedByAnotherConnection_DatabaseErrorThenSuccessAfterRelease()
    {
        var store = _context.OpenStore();
        Assert.True((await store.AppendAsync(SampleRecords.Request(1, _context.Time.GetUtcNow()))).IsSuccess);

        await using (var other = new SqliteConnection($"Data Source={_context.DatabasePath};Pooling=False"))
        {
            other.Open();
            using var begin = other.CreateCommand();
            begin.CommandText = "BEGIN EXCLUSIVE;";
            begin.ExecuteNonQuery();

            var locked = await store.AppendAsync(SampleRecords.Request(2, _context.Time.GetUtcNow()));
            var writable = await store.IsWritableAsync();

            Assert.Equal(LogFailure.DatabaseError, locked.Failure);
            Assert.Contains("locked", locked.Message, StringComparison.OrdinalIgnoreCase);
            Assert.False(writable);
        }

        var after = await store.AppendAsync(SampleRecords.Request(3, _context.Time.GetUtcNow()));

        Assert.True(after.IsSuccess, after.ToString());
        Assert.Equal(2, after.Sequence);
        Assert.True(await store.IsWritableAsync());
        Assert.Equal(2, store.Count);
    }

    [Fact]
    public async Task AppendAsync_FilesBecomeReadOnly_DatabaseErrorThenRecovers()
    {
        var store = _context.OpenStore();
        Assert.True((await store.AppendAsync(SampleRecords.Request(1, _context.Time.GetUtcNow()))).IsSuccess);
        string[] files = [_context.DatabasePath, _context.DatabasePath + "-wal"];
        try
        {
            // As root, file modes do not stop writes; the immutable attribute does (also for open handles).
            Immutable.Set(files, on: true);

            var refused = await store.AppendAsync(SampleRecords.Request(2, _context.Time.GetUtcNow()));
            var refused2 = await store.AppendAsync(SampleRecords.Request(2, _context.Time.GetUtcNow()));
            var probe = await store.IsWritableAsync();

            Assert.Equal(LogFailure.DatabaseError, refused.Failure);
            Assert.Equal(LogFailure.DatabaseError, refused2.Failure);
            Assert.False(probe);
        }
        finally
        {
            Immutable.Set(files, on: false);
        }

        var after = await store.AppendAsync(SampleRecords.Request(3, _context.Time.GetUtcNow()));
        Assert.True(after.IsSuccess, after.ToString());
        Assert.Equal(2, after.Sequence);
    }

    [Fact]
    public async Task Open_ReadOnlyFile_OpensButAppendsFailWithDatabaseError()
    {
        await using (var first = _context.OpenStore())
        {
            await first.AppendAsync(SampleRecords.Request(1, _context.Time.GetUtcNow()));
        }

        string[] files = [_context.DatabasePath];
        try
        {
            Immutable.Set(files, on: true);
            await using var store = _context.OpenStore();

            var result = await store.AppendAsync(SampleRecords.Request(2, _context.Time.GetUtcNow()));

            Assert.Equal(1, store.Count);
            Assert.Equal(LogFailure.DatabaseError, result.Failure);
            Assert.False(await store.IsWritableAsync());
            Assert.NotNull(store.Get(1));
        }
        finally
        {
            Immutable.Set(files, on: false);
        }
    }

    [Fact]
    public async Task RecentRequests_MixedRecords_ReturnsRequestsOfSideSince()
    {
        var store = _context.OpenStore();
        var start = _context.Time.GetUtcNow();
        await store.AppendAsync(SampleRecords.Request(1, start.AddMinutes(-10)));
        await store.AppendAsync(SampleRecords.Request(2, start.AddMinutes(-1)));
        await store.AppendAsync(SampleRecords.Response(2, start.AddMinutes(-1)));
        await store.AppendAsync(SampleRecords.Request(3, start, side: RecordSide.Server));
        await store.AppendAsync(SampleRecords.Request(4, start));

        var recent = store.RecentRequests(RecordSide.Client, start.AddMinutes(-5));

        Assert.Equal(
            [new RecentRequest("DEV/ORG/70000002/clinic", "msg-2", start.AddMinutes(-1)), new RecentRequest("DEV/ORG/70000002/clinic", "msg-4", start)],
            recent);
    }

    [Fact]
    public async Task Open_NewDatabase_FileIsPrivate()
    {
        await using var store = _context.OpenStore();

        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_context.DatabasePath));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(_context.DatabasePath)!));
        }
    }

    [Fact]
    public async Task Open_TailRecordTampered_ThrowsNamingTheRecord()
    {
        await using (var store = _context.OpenStore())
        {
            for (var i = 1; i <= 5; i++)
            {
                await store.AppendAsync(SampleRecords.Request(i, _context.Time.GetUtcNow()));
            }
        }

        Tamper("UPDATE record SET message_id = 'forged' WHERE seq = 4;");

        var ex = Assert.Throws<InvalidDataException>(() => _context.OpenStore());
        Assert.Contains("record 4", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_TailRecordDeleted_ThrowsNamingTheGap()
    {
        await using (var store = _context.OpenStore())
        {
            for (var i = 1; i <= 5; i++)
            {
                await store.AppendAsync(SampleRecords.Request(i, _context.Time.GetUtcNow()));
            }
        }

        Tamper("DELETE FROM record WHERE seq = 3;");

        var ex = Assert.Throws<InvalidDataException>(() => _context.OpenStore());
        Assert.Contains("record 3 is missing", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_ForeignSqliteDatabase_Throws()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_context.DatabasePath)!);
        await using (var connection = new SqliteConnection($"Data Source={_context.DatabasePath};Pooling=False"))
        {
            connection.Open();
            using var cmd = connection.CreateCommand();
            cmd.CommandText = "CREATE TABLE other (x);";
            cmd.ExecuteNonQuery();
        }

        Assert.Throws<InvalidOperationException>(() => _context.OpenStore());
    }

    [Fact]
    public async Task AppendAsync_AfterDispose_Closed()
    {
        var store = _context.OpenStore();
        await store.DisposeAsync();

        var result = await store.AppendAsync(SampleRecords.Request(1, _context.Time.GetUtcNow()));

        Assert.Equal(LogFailure.Closed, result.Failure);
    }

    [Fact]
    public async Task DisposeAsync_AppendsInFlight_AllCommittedBeforeClose()
    {
        var store = _context.OpenStore();
        var tasks = Enumerable.Range(0, 300).Select(i => store.AppendAsync(SampleRecords.Request(i, _context.Time.GetUtcNow())).AsTask()).ToList();

        await store.DisposeAsync();
        var results = await Task.WhenAll(tasks);

        Assert.All(results, r => Assert.True(r.IsSuccess));
        await using var reopened = _context.OpenStore();
        Assert.Equal(300, reopened.Count);
    }

    [Fact]
    public async Task AppendAsync_InvalidRecord_ThrowsAndWritesNothing()
    {
        var store = _context.OpenStore();

        await Assert.ThrowsAsync<ArgumentException>(async () => await store.AppendAsync(SampleRecords.Request(1, _context.Time.GetUtcNow()) with { BodyDigest = new byte[3] }));

        Assert.Equal(0, store.Count);
    }

    [Fact]
    public async Task AppendAsync_LargeBodies_SplitIntoBatchesByBytes()
    {
        var store = _context.OpenStore(o => o with { MaxBatchBytes = 64 * 1024 });

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => store.AppendAsync(SampleRecords.Request(i, _context.Time.GetUtcNow(), bodySize: 40 * 1024)).AsTask()));

        Assert.All(results, r => Assert.True(r.IsSuccess));
        Assert.True(store.CommitCount >= 4, $"{store.CommitCount} commits");
        Assert.Equal(SampleRecords.Body(3, 40 * 1024), store.Get(results.Single(r => store.Get(r.Sequence)!.Record.MessageId == "msg-3").Sequence)!.Record.Body!.Value.ToArray());
    }

    private void Tamper(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={_context.DatabasePath};Pooling=False");
        connection.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    private static void AssertSameRecord(MessageRecord expected, MessageRecord actual)
    {
        Assert.Equal(RecordEncoding.Canonical(1, expected), RecordEncoding.Canonical(1, actual));
        Assert.Equal(expected.Body?.ToArray(), actual.Body?.ToArray());
        Assert.Equal(expected.At, actual.At);
        Assert.Equal(expected.RequestId, actual.RequestId);
    }
}
