using ExchangeGateway.MessageLog.Archiving;
using ExchangeGateway.MessageLog.Verification;
using Microsoft.Data.Sqlite;

namespace ExchangeGateway.MessageLog.Tests.Archiving;

/// <summary>
/// Crash safety: the archive file is durable before the database names it, so an interruption between
/// the two leaves a file nothing reads, which the next pass replaces; a half-written file is a .tmp
/// that the next pass removes. The database transaction is real and fails for real here: another
/// connection holds the write lock past the store's busy timeout (1 s in tests).
/// </summary>
public sealed class ArchiveCrashTests : IAsyncLifetime
{
    private ArchiveLog _log = null!;

    public async Task InitializeAsync()
    {
        _log = await ArchiveLog.CreateAsync();
        await _log.AppendAsync(30);
        await _log.CheckpointAsync();
        _log.Context.Time.Advance(TimeSpan.FromDays(10) + TimeSpan.FromMinutes(20.5)); // records 1–20 are older than 10 days
    }

    public async Task DisposeAsync() => await _log.DisposeAsync();

    [Fact]
    public async Task RunOnce_DatabaseFailsAfterTheFileIsWritten_ConsistentAndTheNextPassRecovers()
    {
        using var archiver = _log.Archiver(o => o with { ArchiveAfter = TimeSpan.FromDays(10) });
        RetentionRunResult interrupted;
        using (var blocker = new SqliteConnection($"Data Source={_log.Context.DatabasePath};Pooling=False"))
        {
            blocker.Open();
            using var hold = blocker.BeginTransaction(deferred: false);
            interrupted = await archiver.RunOnceAsync(CancellationToken.None);
        }

        // The file is there; the database does not name it; every record is still live and verifies.
        Assert.False(interrupted.IsSuccess);
        Assert.Contains("archive 1 was written but not recorded in the database", interrupted.Failure, StringComparison.Ordinal);
        Assert.Empty(interrupted.Archives);
        Assert.Equal(0, interrupted.ArchivedThrough);
        Assert.True(File.Exists(_log.ArchivePath(1)));
        var orphan = await File.ReadAllBytesAsync(_log.ArchivePath(1));
        Assert.Null(_log.Store.Read(7).Record!.ArchiveId);
        Assert.Equal(_log.Written[7].Body!.Value.ToArray(), _log.Store.Get(7)!.Record.Body!.Value.ToArray());
        var meanwhile = MessageLogVerifier.Verify(_log.Context.DatabasePath, _log.Context.VerifierOptions() with { ArchiveDirectory = _log.ArchiveDirectory });
        Assert.True(meanwhile.IsValid, meanwhile.ToString());
        Assert.Equal(0, meanwhile.ArchivedRecords);

        // A half-written file from an earlier crash, and ten more records old enough by the next run.
        await File.WriteAllTextAsync(_log.ArchivePath(1) + ".tmp", "torn");
        _log.Context.Time.Advance(TimeSpan.FromMinutes(10));
        var recovered = await archiver.RunOnceAsync(CancellationToken.None);

        Assert.True(recovered.IsSuccess, recovered.Failure);
        var archive = Assert.Single(recovered.Archives);
        Assert.Equal((1L, 1L, 30L), (archive.Id, archive.FirstSequence, archive.LastSequence));
        Assert.Equal(["xgw-archive-1.xgwa"], Directory.GetFiles(_log.ArchiveDirectory).Select(Path.GetFileName));
        Assert.NotEqual(orphan, await File.ReadAllBytesAsync(_log.ArchivePath(1)));
        Assert.Equal(1, _log.Store.Read(7).Record!.ArchiveId);
        var verified = MessageLogVerifier.Verify(_log.Context.DatabasePath, _log.Context.VerifierOptions() with { ArchiveDirectory = _log.ArchiveDirectory });
        Assert.True(verified.IsValid, verified.ToString());
        Assert.Equal(30, verified.ArchivedRecords);
        _log.AssertEveryProofVerifies();
    }

    [Fact]
    public async Task RunOnce_SignerFails_NothingWrittenAndTheNextPassArchives()
    {
        using (var failing = _log.Archiver(o => o with { ArchiveAfter = TimeSpan.FromDays(10) }, (_, _) => throw new InvalidOperationException("token logged out")))
        {
            var result = await failing.RunOnceAsync(CancellationToken.None);
            Assert.Equal("archive 1's manifest cannot be signed: token logged out", result.Failure);
        }

        Assert.Empty(Directory.GetFiles(_log.ArchiveDirectory));
        using var archiver = _log.Archiver(o => o with { ArchiveAfter = TimeSpan.FromDays(10) });
        var recovered = await archiver.RunOnceAsync(CancellationToken.None);
        Assert.True(recovered.IsSuccess, recovered.Failure);
        Assert.Equal(20, recovered.RecordsArchived);
    }

    [Fact]
    public async Task RunOnce_RecordChangedInTheLiveLog_RefusesToArchiveIt()
    {
        using (var connection = new SqliteConnection($"Data Source={_log.Context.DatabasePath};Pooling=False"))
        {
            connection.Open();
            using var cmd = connection.CreateCommand();
            cmd.CommandText = "UPDATE record SET message_id = 'forged' WHERE seq = 12;";
            Assert.Equal(1, cmd.ExecuteNonQuery());
        }

        using var archiver = _log.Archiver(o => o with { ArchiveAfter = TimeSpan.FromDays(10), MaxRecordsPerArchive = 10 });
        var result = await archiver.RunOnceAsync(CancellationToken.None);

        Assert.Equal("record 12 does not match its leaf hash; nothing was archived. Run the verifier.", result.Failure);
        Assert.Equal([1L], result.Archives.Select(a => a.Id)); // records 1–10 went before it
        Assert.Equal(["xgw-archive-1.xgwa"], Directory.GetFiles(_log.ArchiveDirectory).Select(Path.GetFileName));
        Assert.Null(_log.Store.Read(11).Record!.ArchiveId);
    }
}
