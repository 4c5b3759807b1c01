using ExchangeGateway.MessageLog.Archiving;
using ExchangeGateway.MessageLog.Records;
using ExchangeGateway.MessageLog.Storage;
using ExchangeGateway.MessageLog.Verification;
using Microsoft.Data.Sqlite;

namespace ExchangeGateway.MessageLog.Tests.Archiving;

/// <summary>
/// Issue #7 "archives and retention": bodies go, records move to signed archives, and everything keeps
/// verifying: proofs against the signed checkpoints, the log verifier, and records read back from archives.
/// Records are 1 minute apart from <see cref="ArchiveLog.Start"/>; every fifth has no logged body.
/// </summary>
public sealed class RetentionRunTests : IAsyncLifetime
{
    // Ten days after the records were written: "older than 10 days − 10.5 min" is records 1 to 10.
    private static readonly TimeSpan Later = TimeSpan.FromDays(10);
    private static readonly TimeSpan TenRecords = Later - TimeSpan.FromMinutes(10.5);
    private static readonly TimeSpan TwentyRecords = Later - TimeSpan.FromMinutes(20.5);
    private ArchiveLog _log = null!;

    public async Task InitializeAsync()
    {
        _log = await ArchiveLog.CreateAsync();
        await _log.AppendAsync(40);
        await _log.CheckpointAsync();
        _log.Context.Time.Advance(Later);
    }

    public async Task DisposeAsync() => await _log.DisposeAsync();

    [Fact]
    public async Task RunOnce_BodyRetention_ErasesOldBodiesAndEveryProofAndTheVerifierStillPass()
    {
        using var archiver = _log.Archiver(o => o with { BodyRetention = TenRecords });

        var result = await archiver.RunOnceAsync(CancellationToken.None);

        Assert.True(result.IsSuccess, result.Failure);
        Assert.Equal(8, result.BodiesErased); // records 1–10 except 5 and 10, which never had one
        Assert.Empty(result.Archives);
        for (long sequence = 1; sequence <= 40; sequence++)
        {
            var read = _log.Store.Read(sequence);
            Assert.True(read.IsSuccess, read.ToString());
            var expected = sequence % 5 == 0 ? RecordBodyState.NotLogged : sequence <= 10 ? RecordBodyState.Erased : RecordBodyState.Present;
            Assert.Equal(expected, read.Record!.BodyState);
            Assert.Equal(expected == RecordBodyState.Present, read.Record.Logged.Record.Body is not null);
            Assert.Equal(_log.Leaves[sequence], RecordEncoding.LeafHash(sequence, read.Record.Logged.Record));
        }

        _log.AssertEveryProofVerifies();
        var verified = MessageLogVerifier.Verify(_log.Context.DatabasePath, _log.Context.VerifierOptions());
        Assert.True(verified.IsValid, verified.ToString());
        Assert.Equal(40, verified.Records);
        Assert.Equal(8, verified.ErasedBodies);
        Assert.Equal(0, (await archiver.RunOnceAsync(CancellationToken.None)).BodiesErased);
    }

    [Fact]
    public async Task RunOnce_ArchiveAfter_MovesOldRecordsIntoChainedArchivesAndReadsThemBackIdentical()
    {
        using var archiver = _log.Archiver(o => o with { ArchiveAfter = TwentyRecords, MaxRecordsPerArchive = 8 });

        var result = await archiver.RunOnceAsync(CancellationToken.None);

        Assert.True(result.IsSuccess, result.Failure);
        Assert.Equal(20, result.RecordsArchived);
        Assert.Equal(20, result.ArchivedThrough);
        Assert.Equal(40, result.StampedTreeSize);
        Assert.Equal([(1L, 1L, 8L), (2L, 9L, 16L), (3L, 17L, 20L)], result.Archives.Select(a => (a.Id, a.FirstSequence, a.LastSequence)));
        Assert.Equal(["xgw-archive-1.xgwa", "xgw-archive-2.xgwa", "xgw-archive-3.xgwa"], Directory.GetFiles(_log.ArchiveDirectory).Select(Path.GetFileName).Order());
        Assert.All(result.Archives, a => Assert.Equal(new FileInfo(_log.ArchivePath(a.Id)).Length, a.Bytes));

        // The live rows keep sequence, leaf and metadata; their content is gone.
        using (var connection = Connect())
        using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText = "SELECT seq, body_state, archive_id, length(head), length(signature), length(ocsp), body IS NULL, client_id, leaf_hash FROM record WHERE seq <= 21 ORDER BY seq;";
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                var sequence = r.GetInt64(0);
                var archived = sequence <= 20;
                Assert.Equal(archived ? 2 : 0, r.GetInt64(1));
                Assert.Equal(archived ? (sequence + 7) / 8 : (long?)null, r.IsDBNull(2) ? null : r.GetInt64(2));
                Assert.Equal(archived, r.GetInt64(3) == 0 && r.GetInt64(4) == 0 && r.GetInt64(5) == 0 && r.GetBoolean(6));
                Assert.Equal(_log.Written[sequence].ClientId, r.GetString(7));
                Assert.Equal(_log.Leaves[sequence].ToArray(), r.GetFieldValue<byte[]>(8));
            }
        }

        for (long sequence = 1; sequence <= 21; sequence++)
        {
            var read = _log.Store.Read(sequence);
            Assert.True(read.IsSuccess, read.ToString());
            var stored = read.Record!;
            Assert.Equal(sequence <= 20 ? (sequence + 7) / 8 : null, stored.ArchiveId);
            Assert.Equal(RecordEncoding.Canonical(sequence, _log.Expected(sequence)), RecordEncoding.Canonical(sequence, stored.Logged.Record));
            Assert.Equal(_log.Leaves[sequence], stored.Logged.LeafHash);
            Assert.Equal(_log.Written[sequence].Body?.ToArray(), stored.Logged.Record.Body?.ToArray());
            Assert.Equal(sequence % 5 == 0 ? RecordBodyState.NotLogged : RecordBodyState.Present, stored.BodyState);
            Assert.Equal(stored.Logged.Record.Head.ToArray(), _log.Store.Get(sequence)!.Record.Head.ToArray());
        }

        _log.AssertEveryProofVerifies();
        var withArchives = MessageLogVerifier.Verify(_log.Context.DatabasePath, _log.Context.VerifierOptions() with { ArchiveDirectory = _log.ArchiveDirectory });
        Assert.True(withArchives.IsValid, withArchives.ToString());
        Assert.Equal((40, 3, 20, 0), (withArchives.Records, withArchives.Archives, withArchives.ArchivedRecords, withArchives.LeafOnlyRecords));
        var leafOnly = MessageLogVerifier.Verify(_log.Context.DatabasePath, _log.Context.VerifierOptions());
        Assert.True(leafOnly.IsValid, leafOnly.ToString());
        Assert.Equal((0, 0, 20), (leafOnly.Archives, leafOnly.ArchivedRecords, leafOnly.LeafOnlyRecords));
        Assert.Contains("20 archived records checked by leaf only", leafOnly.ToString(), StringComparison.Ordinal);

        var archives = ArchiveVerifier.Verify(_log.ArchiveDirectory, _log.VerifierOptions());
        Assert.True(archives.IsValid, archives.ToString());
        Assert.Equal((3, 20, 20, true), (archives.Archives, archives.Records, archives.LastSequence, archives.SignersVerified));
    }

    [Fact]
    public async Task RunOnce_RecordsAboveTheStampedCheckpoint_StayLiveUntilOneCoversThem()
    {
        await _log.AppendAsync(10); // records 41–50: old enough, but no checkpoint covers them yet
        using var archiver = _log.Archiver(o => o with { ArchiveAfter = TimeSpan.FromDays(1) });

        var first = await archiver.RunOnceAsync(CancellationToken.None);

        Assert.True(first.IsSuccess, first.Failure);
        Assert.Equal((40L, 40L, 40L), (first.RecordsArchived, first.ArchivedThrough, first.StampedTreeSize));
        var live = _log.Store.Read(45);
        Assert.Null(live.Record!.ArchiveId);

        await _log.CheckpointAsync();
        var second = await archiver.RunOnceAsync(CancellationToken.None);

        Assert.True(second.IsSuccess, second.Failure);
        var archive = Assert.Single(second.Archives);
        Assert.Equal((2L, 41L, 50L), (archive.Id, archive.FirstSequence, archive.LastSequence));
        Assert.Equal(2, _log.Store.Read(45).Record!.ArchiveId);
        var verified = MessageLogVerifier.Verify(_log.Context.DatabasePath, _log.Context.VerifierOptions() with { ArchiveDirectory = _log.ArchiveDirectory });
        Assert.True(verified.IsValid, verified.ToString());
        Assert.Equal(50, verified.ArchivedRecords);
    }

    [Fact]
    public async Task RunOnce_BodyRetentionShorterThanArchiveAfter_ErasedBodiesAreNotArchived()
    {
        using var archiver = _log.Archiver(o => o with { BodyRetention = TenRecords, ArchiveAfter = TwentyRecords });

        var result = await archiver.RunOnceAsync(CancellationToken.None);

        Assert.True(result.IsSuccess, result.Failure);
        Assert.Equal(8, result.BodiesErased);
        var archive = Assert.Single(result.Archives);
        Assert.Equal((1L, 20L, 8L), (archive.FirstSequence, archive.LastSequence, archive.Bodies)); // bodies of 11–20 but 15 and 20
        var bodies = ArchiveLog.ReadParts(_log.ArchivePath(1)).Single(p => p.Name == "records.bin").Data;
        foreach (var (sequence, offsets) in ArchiveLog.Offsets(bodies))
        {
            Assert.Equal(sequence > 10 && sequence % 5 != 0, offsets.Body >= 0);
            var expected = sequence % 5 == 0 ? RecordBodyState.NotLogged : sequence <= 10 ? RecordBodyState.Erased : RecordBodyState.Present;
            Assert.Equal(expected, _log.Store.Read(sequence).Record!.BodyState);
        }

        var verified = MessageLogVerifier.Verify(_log.Context.DatabasePath, _log.Context.VerifierOptions() with { ArchiveDirectory = _log.ArchiveDirectory });
        Assert.True(verified.IsValid, verified.ToString());
        _log.AssertEveryProofVerifies();
    }

    [Fact]
    public async Task Open_StoreWhoseTailIsArchived_OpensAndStillReadsRecords()
    {
        using (var archiver = _log.Archiver(o => o with { ArchiveAfter = TimeSpan.FromDays(1) }))
        {
            Assert.Equal(40, (await archiver.RunOnceAsync(CancellationToken.None)).RecordsArchived);
        }

        await _log.Store.DisposeAsync();
        _log.Open();

        Assert.Equal(40, _log.Store.Count);
        Assert.Equal(RecordEncoding.Canonical(40, _log.Expected(40)), RecordEncoding.Canonical(40, _log.Store.Get(40)!.Record));
        await _log.AppendAsync(1);
        await _log.CheckpointAsync();
        _log.AssertEveryProofVerifies();
    }

    [Fact]
    public async Task Read_ArchiveFileMovedAway_ArchiveUnavailableAndGetThrows()
    {
        using var archiver = _log.Archiver(o => o with { ArchiveAfter = TwentyRecords });
        Assert.True((await archiver.RunOnceAsync(CancellationToken.None)).IsSuccess);
        File.Move(_log.ArchivePath(1), _log.ArchivePath(1) + ".cold");

        var read = _log.Store.Read(3);

        Assert.Equal(RecordReadFailure.ArchiveUnavailable, read.Failure);
        Assert.Equal(1, read.ArchiveId);
        Assert.Contains("xgw-archive-1.xgwa is not there", read.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidDataException>(() => _log.Store.Get(3));
        Assert.Equal(RecordReadFailure.UnknownSequence, _log.Store.Read(41).Failure);
        Assert.Null(_log.Store.Get(41));
        var verified = MessageLogVerifier.Verify(_log.Context.DatabasePath, _log.Context.VerifierOptions() with { ArchiveDirectory = _log.ArchiveDirectory });
        Assert.Equal(LogVerificationFailure.ArchiveMismatch, verified.Failure);
        Assert.Equal(1, verified.ArchiveId);
    }

    private SqliteConnection Connect()
    {
        var connection = new SqliteConnection($"Data Source={_log.Context.DatabasePath};Pooling=False;Mode=ReadOnly");
        connection.Open();
        return connection;
    }
}
