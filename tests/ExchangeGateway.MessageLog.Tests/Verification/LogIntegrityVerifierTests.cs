using ExchangeGateway.Common.Crypto.Cms;
using ExchangeGateway.Common.Crypto.TimeStamping;
using ExchangeGateway.Common.Crypto.X509;
using ExchangeGateway.MessageLog.Integration;
using ExchangeGateway.MessageLog.Records;
using ExchangeGateway.MessageLog.Storage;
using ExchangeGateway.MessageLog.Tests.Support;
using ExchangeGateway.MessageLog.Verification;
using Microsoft.Data.Sqlite;

namespace ExchangeGateway.MessageLog.Tests.Verification;

/// <summary>
/// The integrity monitor's verifier: bounded runs from a position, each tamper case named by its first bad item,
/// the starting position resumed from a stored frontier only when it folds to the signed root.
/// </summary>
public sealed class LogIntegrityVerifierTests : IAsyncLifetime
{
    private readonly LogTestContext _context = new();

    public Task InitializeAsync() => _context.StartTsaAsync();

    public async Task DisposeAsync() => await _context.DisposeAsync();

    [Fact]
    public async Task Verify_FromEmpty_IntactLog_ReachesTheNewestCheckpointWithItsRoot()
    {
        await WriteLogAsync();

        var result = LogIntegrityVerifier.Verify(_context.DatabasePath, LogPosition.Empty, Options());

        Assert.True(result.IsValid, result.ToString());
        Assert.True(result.ReachedTarget);
        Assert.Equal(10, result.Position.TreeSize);
        Assert.Equal(CheckpointRoot(10), result.Position.RootHash);
        Assert.Equal(10, result.Records);
        Assert.Equal(3, result.Checkpoints);
        Assert.Equal(10, result.NewestCheckpoint);
        Assert.Equal(10, result.StampedTreeSize);
    }

    [Fact]
    public async Task Verify_BoundedRuns_ContinueWhereTheyStoppedToTheSameRoot()
    {
        await WriteLogAsync();
        var position = LogPosition.Empty;
        var sizes = new List<long>();
        for (var run = 0; run < 10 && position.TreeSize < 10; run++)
        {
            var result = LogIntegrityVerifier.Verify(_context.DatabasePath, position, Options() with { MaxRecords = 3 });
            Assert.True(result.IsValid, result.ToString());
            Assert.True(result.Records <= 3);
            position = result.Position;
            sizes.Add(position.TreeSize);
        }

        Assert.Equal([3L, 6, 9, 10], sizes);
        Assert.Equal(CheckpointRoot(10), position.RootHash);
    }

    [Fact]
    public async Task Verify_CheckpointBound_StopsAfterThatManyCheckpoints()
    {
        await WriteLogAsync();

        var result = LogIntegrityVerifier.Verify(_context.DatabasePath, LogPosition.Empty, Options() with { MaxCheckpoints = 1 });

        Assert.True(result.IsValid, result.ToString());
        Assert.Equal(4, result.Position.TreeSize);
        Assert.False(result.ReachedTarget);
    }

    [Fact]
    public async Task Verify_UpTo_StopsThere()
    {
        await WriteLogAsync();

        var result = LogIntegrityVerifier.Verify(_context.DatabasePath, LogPosition.Empty, Options() with { UpTo = 6 });

        Assert.True(result.ReachedTarget, result.ToString());
        Assert.Equal(6, result.Position.TreeSize);
        Assert.Equal(6, result.Target);
    }

    [Fact]
    public async Task Verify_ChangedHead_LeafMismatchAtThatRecord_PositionUnchanged()
    {
        await WriteLogAsync();
        var head = ReadBlob("head", 6);
        head[0] ^= 0x20;
        WriteBlob("head", 6, head);

        var result = LogIntegrityVerifier.Verify(_context.DatabasePath, LogPosition.Empty, Options());

        AssertFailure(result, LogVerificationFailure.LeafMismatch, sequence: 6);
        Assert.Equal("record 6", result.Item);
        Assert.Same(LogPosition.Empty, result.Position);
    }

    [Fact]
    public async Task Verify_FlippedBodyByte_BodyDigestMismatch()
    {
        await WriteLogAsync();
        var body = ReadBlob("body", 5);
        body[10] ^= 0x01;
        WriteBlob("body", 5, body);

        AssertFailure(LogIntegrityVerifier.Verify(_context.DatabasePath, LogPosition.Empty, Options()), LogVerificationFailure.BodyDigestMismatch, sequence: 5);
    }

    [Fact]
    public async Task Verify_FieldAndLeafRewritten_RootMismatchAtTheCoveringCheckpoint()
    {
        await WriteLogAsync();
        LogForgery.ForgeClientIdAndLeaf(_context.DatabasePath, 2, "DEV/ORG/99999999/mallory");

        AssertFailure(LogIntegrityVerifier.Verify(_context.DatabasePath, LogPosition.Empty, Options()), LogVerificationFailure.RootMismatch, checkpoint: 4);
    }

    [Fact]
    public async Task Verify_DeletedMiddleRecord_MissingRecordNamed()
    {
        await WriteLogAsync();
        Execute("DELETE FROM record WHERE seq = 5;");

        AssertFailure(LogIntegrityVerifier.Verify(_context.DatabasePath, LogPosition.Empty, Options()), LogVerificationFailure.MissingRecord, sequence: 5);
    }

    [Fact]
    public async Task Verify_TwoRecordsSwapped_LeafMismatchAtTheFirst()
    {
        await WriteLogAsync();
        Execute("UPDATE record SET seq = -1 WHERE seq = 7; UPDATE record SET seq = 7 WHERE seq = 8; UPDATE record SET seq = 8 WHERE seq = -1;");

        AssertFailure(LogIntegrityVerifier.Verify(_context.DatabasePath, LogPosition.Empty, Options()), LogVerificationFailure.LeafMismatch, sequence: 7);
    }

    [Fact]
    public async Task Verify_TailDeleted_CheckpointBeyondLogNamesTheFirstMissingRecord()
    {
        await WriteLogAsync();
        Execute("DELETE FROM record WHERE seq > 8;");

        AssertFailure(LogIntegrityVerifier.Verify(_context.DatabasePath, LogPosition.Empty, Options()), LogVerificationFailure.CheckpointBeyondLog, sequence: 9, checkpoint: 10);
    }

    [Fact]
    public async Task Verify_CheckpointResignedByAnotherCa_SignatureInvalid()
    {
        await WriteLogAsync();
        using var otherPki = Testing.Pki.TestPki.Create(_context.Time, "Other");
        var content = ReadCheckpointBlob("content", 8);
        WriteCheckpointBlob("signature", 8, CmsDetachedSigner.Sign(content, otherPki.IssueSigning("DEV", "GOV", "70000001"), _context.Time.GetUtcNow()));

        AssertFailure(LogIntegrityVerifier.Verify(_context.DatabasePath, LogPosition.Empty, Options()), LogVerificationFailure.SignatureInvalid, checkpoint: 8);
    }

    [Fact]
    public async Task Verify_SignerRefusedByTheCaller_SignatureInvalidWithTheReason()
    {
        await WriteLogAsync();

        var result = LogIntegrityVerifier.Verify(
            _context.DatabasePath,
            LogPosition.Empty,
            Options() with { CheckSigner = (checkpoint, signer) => checkpoint.TreeSize == 8 ? $"not {signer.Signer.Subject}" : null });

        AssertFailure(result, LogVerificationFailure.SignatureInvalid, checkpoint: 8);
        Assert.Equal($"checkpoint 8 signature: not {_context.Signer.Subject}", result.Message);
    }

    [Fact]
    public async Task Verify_TimeStampOfAnotherCheckpointSwappedIn_TimeStampInvalid()
    {
        await WriteLogAsync();
        WriteCheckpointBlob("token", 8, ReadCheckpointBlob("token", 4));

        AssertFailure(LogIntegrityVerifier.Verify(_context.DatabasePath, LogPosition.Empty, Options()), LogVerificationFailure.TimeStampInvalid, checkpoint: 8);
    }

    [Fact]
    public async Task Verify_OtherServerExpected_MalformedCheckpoint()
    {
        await WriteLogAsync();

        AssertFailure(
            LogIntegrityVerifier.Verify(_context.DatabasePath, LogPosition.Empty, Options() with { ServerId = "DEV/GOV/70000001/ss2" }),
            LogVerificationFailure.MalformedCheckpoint,
            checkpoint: 4);
    }

    [Fact]
    public async Task Verify_CheckpointsDeletedAfterVerification_CheckpointMissing()
    {
        await WriteLogAsync();
        var verified = LogIntegrityVerifier.Verify(_context.DatabasePath, LogPosition.Empty, Options());
        Execute("DELETE FROM checkpoint WHERE tree_size > 4;");

        var result = LogIntegrityVerifier.Verify(_context.DatabasePath, verified.Position, Options());

        AssertFailure(result, LogVerificationFailure.CheckpointMissing, checkpoint: 10);
    }

    [Fact]
    public async Task Verify_ArchivedRow_ContributesItsStoredLeaf_ButAnEmptiedLiveRowDoesNot()
    {
        await WriteLogAsync();
        Execute("UPDATE record SET body_state = 2, head = x'', signature = x'', ocsp = x'', body = NULL WHERE seq = 3;");

        var archived = LogIntegrityVerifier.Verify(_context.DatabasePath, LogPosition.Empty, Options());
        Execute("UPDATE record SET body_state = 0 WHERE seq = 3;");
        var emptied = LogIntegrityVerifier.Verify(_context.DatabasePath, LogPosition.Empty, Options());

        Assert.True(archived.IsValid, archived.ToString());
        Assert.Equal(CheckpointRoot(10), archived.Position.RootHash);
        AssertFailure(emptied, LogVerificationFailure.LeafMismatch, sequence: 3);
    }

    [Fact]
    public async Task Verify_NewestStampArrivedAfterTheCheckpointWasVerified_ChecksThatToken()
    {
        await WriteLogAsync();
        var verified = LogIntegrityVerifier.Verify(_context.DatabasePath, LogPosition.Empty, Options());
        WriteCheckpointBlob("token", 10, ReadCheckpointBlob("token", 8));

        var alreadyChecked = LogIntegrityVerifier.Verify(_context.DatabasePath, verified.Position, Options(), stampsVerifiedThrough: 10);
        var notYetChecked = LogIntegrityVerifier.Verify(_context.DatabasePath, verified.Position, Options(), stampsVerifiedThrough: 8);

        Assert.True(alreadyChecked.IsValid, alreadyChecked.ToString());
        Assert.Equal(0, alreadyChecked.Records);
        AssertFailure(notYetChecked, LogVerificationFailure.TimeStampInvalid, checkpoint: 10);
    }

    [Fact]
    public async Task Resume_FromAStoredFrontier_ThenReadsOnlyTheNewerRecords()
    {
        await WriteLogAsync();

        var start = LogIntegrityVerifier.Resume(_context.DatabasePath, 9, Options());
        var next = LogIntegrityVerifier.Verify(_context.DatabasePath, start.Position, Options());

        Assert.True(start.IsValid, start.ToString());
        Assert.Equal(8, start.Position.TreeSize);
        Assert.Equal(CheckpointRoot(8), start.Position.RootHash);
        Assert.Equal(0, start.Records);
        Assert.True(next.IsValid, next.ToString());
        Assert.Equal(2, next.Records);
        Assert.Equal(CheckpointRoot(10), next.Position.RootHash);
    }

    [Fact]
    public async Task Resume_TamperedFrontier_RootMismatch()
    {
        await WriteLogAsync();
        var frontier = ReadCheckpointBlob("frontier", 8);
        frontier[0] ^= 0x01;
        WriteCheckpointBlob("frontier", 8, frontier);

        AssertFailure(LogIntegrityVerifier.Resume(_context.DatabasePath, 8, Options()), LogVerificationFailure.RootMismatch, checkpoint: 8);
    }

    [Fact]
    public async Task Resume_BeforeTheFirstCheckpoint_Empty()
    {
        await WriteLogAsync();

        var start = LogIntegrityVerifier.Resume(_context.DatabasePath, 3, Options());

        Assert.True(start.IsValid, start.ToString());
        Assert.Equal(0, start.Position.TreeSize);
    }

    [Fact]
    public void Verify_MissingFile_Unreadable()
    {
        var result = LogIntegrityVerifier.Verify(_context.Directory.File("none.db"), LogPosition.Empty, Options());

        Assert.Equal(LogVerificationFailure.Unreadable, result.Failure);
    }

    private LogIntegrityOptions Options()
    {
        var tsa = _context.PublicTsaCertificate;
        return new LogIntegrityOptions
        {
            ServerId = LogTestContext.ServerId,
            Signatures = new CmsSignatureVerifier(new CertificateValidator([_context.Pki.RootCertificate], [_context.Pki.IntermediateCertificate])),
            TimeStamps = new TimeStampTrust(new CertificateValidator([tsa]), [tsa]),
            Time = _context.Time,
        };
    }

    // 12 records (bodies on, except every third), checkpoints stamped at 4, 8 and 10, records 11-12 not yet covered.
    private async Task WriteLogAsync()
    {
        var store = _context.OpenStore();
        var integrator = _context.Integrator(store);
        for (var i = 1; i <= 12; i++)
        {
            var record = i % 2 == 1
                ? SampleRecords.Request(i, _context.Time.GetUtcNow(), logBody: i % 3 != 0)
                : SampleRecords.Response(i - 1, _context.Time.GetUtcNow(), logBody: i % 3 != 0);
            Assert.True((await store.AppendAsync(record)).IsSuccess);
            if (i is 4 or 8 or 10)
            {
                _context.Time.Advance(TimeSpan.FromSeconds(1));
                Assert.Null((await integrator.IntegrateOnceAsync()).Failure);
            }
        }

        await store.DisposeAsync();
    }

    private static void AssertFailure(LogIntegrityResult result, LogVerificationFailure failure, long? sequence = null, long? checkpoint = null)
    {
        Assert.False(result.IsValid);
        Assert.True(failure == result.Failure, result.ToString());
        Assert.Equal(sequence, result.Sequence);
        Assert.Equal(checkpoint, result.CheckpointTreeSize);
        Assert.False(string.IsNullOrEmpty(result.Message));
    }

    private Common.Crypto.Merkle.MerkleHash CheckpointRoot(long treeSize) =>
        Checkpoint.Parse(ReadCheckpointBlob("content", treeSize)).Value!.RootHash;

    private byte[] ReadBlob(string column, long sequence) => Scalar($"SELECT {column} FROM record WHERE seq = $key;", sequence);

    private void WriteBlob(string column, long sequence, byte[] value) => Update($"UPDATE record SET {column} = $value WHERE seq = $key;", sequence, value);

    private byte[] ReadCheckpointBlob(string column, long treeSize) => Scalar($"SELECT {column} FROM checkpoint WHERE tree_size = $key;", treeSize);

    private void WriteCheckpointBlob(string column, long treeSize, byte[] value) => Update($"UPDATE checkpoint SET {column} = $value WHERE tree_size = $key;", treeSize, value);

    private byte[] Scalar(string sql, long key)
    {
        using var connection = Connect();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.Parameters.AddWithValue("$key", key);
        return (byte[])cmd.ExecuteScalar()!;
    }

    private void Update(string sql, long key, byte[] value)
    {
        using var connection = Connect();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.Parameters.AddWithValue("$key", key);
        cmd.Parameters.AddWithValue("$value", value);
        Assert.Equal(1, cmd.ExecuteNonQuery());
    }

    private void Execute(string sql)
    {
        using var connection = Connect();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    private SqliteConnection Connect()
    {
        var connection = new SqliteConnection($"Data Source={_context.DatabasePath};Pooling=False");
        connection.Open();
        return connection;
    }
}
