using ExchangeGateway.Common.Crypto.Cms;
using ExchangeGateway.Common.Crypto.Merkle;
using ExchangeGateway.MessageLog.Integration;
using ExchangeGateway.MessageLog.Records;
using ExchangeGateway.MessageLog.Storage;
using ExchangeGateway.MessageLog.Tests.Support;
using ExchangeGateway.MessageLog.Verification;
using Microsoft.Data.Sqlite;

namespace ExchangeGateway.MessageLog.Tests.Verification;

/// <summary>RELIABILITY.md row 39: the verifier pinpoints the first bad item of a tampered copy and never repairs it.</summary>
public sealed class MessageLogVerifierTests : IAsyncLifetime
{
    private readonly LogTestContext _context = new();

    public Task InitializeAsync() => _context.StartTsaAsync();

    public async Task DisposeAsync() => await _context.DisposeAsync();

    [Fact]
    public async Task Verify_IntactLog_ValidWithSignaturesAndStamps()
    {
        await WriteLogAsync();

        var result = MessageLogVerifier.Verify(_context.DatabasePath, _context.VerifierOptions());

        Assert.True(result.IsValid, result.ToString());
        Assert.Equal(12, result.Records);
        Assert.Equal(3, result.Checkpoints);
        Assert.Equal(3, result.StampedCheckpoints);
        Assert.Equal(10, result.StampedTreeSize);
    }

    [Fact]
    public async Task Verify_WithoutTrustMaterial_ChecksStructureOnly()
    {
        await WriteLogAsync();

        var result = MessageLogVerifier.Verify(_context.DatabasePath, _context.VerifierOptions(withTrust: false));

        Assert.True(result.IsValid, result.ToString());
        Assert.Equal(0, result.StampedCheckpoints);
    }

    [Fact]
    public async Task Verify_FlippedBodyByte_BodyDigestMismatchAtThatRecord()
    {
        await WriteLogAsync();
        var body = ReadBlob("body", 5);
        body[100] ^= 0x01;
        WriteBlob("body", 5, body);

        var result = MessageLogVerifier.Verify(_context.DatabasePath, _context.VerifierOptions());

        AssertFailure(result, LogVerificationFailure.BodyDigestMismatch, sequence: 5);
    }

    [Fact]
    public async Task Verify_ChangedHead_LeafMismatchAtThatRecord()
    {
        await WriteLogAsync();
        var head = ReadBlob("head", 6);
        head[0] = (byte)'G';
        WriteBlob("head", 6, head);

        var result = MessageLogVerifier.Verify(_context.DatabasePath, _context.VerifierOptions());

        AssertFailure(result, LogVerificationFailure.LeafMismatch, sequence: 6);
    }

    [Fact]
    public async Task Verify_ChangedMetadataAndLeafRecomputed_RootMismatchAtCoveringCheckpoint()
    {
        await WriteLogAsync();

        // A forger who also rewrites the stored leaf is caught by the signed root over it.
        LogForgery.ForgeClientIdAndLeaf(_context.DatabasePath, 2, "DEV/ORG/99999999/mallory");

        var result = MessageLogVerifier.Verify(_context.DatabasePath, _context.VerifierOptions());

        AssertFailure(result, LogVerificationFailure.RootMismatch, checkpoint: 4);
    }

    [Fact]
    public async Task Verify_DeletedMiddleRecord_MissingRecordNamed()
    {
        await WriteLogAsync();
        Execute("DELETE FROM record WHERE seq = 5;");

        var result = MessageLogVerifier.Verify(_context.DatabasePath, _context.VerifierOptions());

        AssertFailure(result, LogVerificationFailure.MissingRecord, sequence: 5);
    }

    [Fact]
    public async Task Verify_TwoRecordsReordered_LeafMismatchAtTheFirst()
    {
        await WriteLogAsync();
        Execute("UPDATE record SET seq = -1 WHERE seq = 7; UPDATE record SET seq = 7 WHERE seq = 8; UPDATE record SET seq = 8 WHERE seq = -1;");

        var result = MessageLogVerifier.Verify(_context.DatabasePath, _context.VerifierOptions());

        AssertFailure(result, LogVerificationFailure.LeafMismatch, sequence: 7);
    }

    [Fact]
    public async Task Verify_TailDeleted_CheckpointBeyondLogNamesFirstMissingRecord()
    {
        await WriteLogAsync();
        Execute("DELETE FROM record WHERE seq > 8;");

        var result = MessageLogVerifier.Verify(_context.DatabasePath, _context.VerifierOptions());

        AssertFailure(result, LogVerificationFailure.CheckpointBeyondLog, sequence: 9, checkpoint: 10);
    }

    [Fact]
    public async Task Verify_FileTruncatedBySevenBytes_LastRecordFails()
    {
        await WriteLogAsync();
        Assert.False(File.Exists(_context.DatabasePath + "-wal"), "wal exists");
        Assert.False(File.Exists(_context.DatabasePath + "-shm"), "shm exists");
        await using (var stream = new FileStream(_context.DatabasePath, FileMode.Open, FileAccess.Write))
        {
            stream.SetLength(stream.Length - 7);
        }

        var result = MessageLogVerifier.Verify(_context.DatabasePath, _context.VerifierOptions());

        // SQLite reads the missing bytes as zeros: here they end the last record's OCSP blob.
        AssertFailure(result, LogVerificationFailure.LeafMismatch, sequence: 12);
        Assert.False(string.IsNullOrEmpty(result.Message));
    }

    [Fact]
    public async Task Verify_CheckpointReplacedWithForgedRoot_RootMismatchAtThatCheckpoint()
    {
        await WriteLogAsync();

        // Even signed with the server's own key: the root is not the records' root.
        var forged = new Checkpoint(LogTestContext.ServerId, 8, MerkleHasher.HashLeaf("forged"u8), _context.Time.GetUtcNow());
        ReplaceCheckpoint(8, forged, CmsDetachedSigner.Sign(forged.Encode(), _context.Signer, _context.Time.GetUtcNow()));

        var result = MessageLogVerifier.Verify(_context.DatabasePath, _context.VerifierOptions());

        AssertFailure(result, LogVerificationFailure.RootMismatch, checkpoint: 8);
    }

    [Fact]
    public async Task Verify_CheckpointResignedByAnotherKey_SignatureInvalid()
    {
        await WriteLogAsync();
        using var otherPki = Testing.Pki.TestPki.Create(_context.Time, "Other");
        var same = Checkpoint.Parse(ReadCheckpointContent(8)).Value!;
        ReplaceCheckpoint(8, same, CmsDetachedSigner.Sign(same.Encode(), otherPki.IssueSigning("DEV", "GOV", "70000001"), _context.Time.GetUtcNow()));

        var result = MessageLogVerifier.Verify(_context.DatabasePath, _context.VerifierOptions());

        AssertFailure(result, LogVerificationFailure.SignatureInvalid, checkpoint: 8);
    }

    [Fact]
    public async Task Verify_CheckpointContentDisagreesWithColumns_MalformedCheckpoint()
    {
        await WriteLogAsync();
        Execute("UPDATE checkpoint SET created_at = created_at + 1 WHERE tree_size = 4;");

        var result = MessageLogVerifier.Verify(_context.DatabasePath, _context.VerifierOptions());

        AssertFailure(result, LogVerificationFailure.MalformedCheckpoint, checkpoint: 4);
    }

    [Fact]
    public async Task Verify_UnapprovedTsaCertificate_TimeStampInvalid()
    {
        await WriteLogAsync();
        using var otherPki = Testing.Pki.TestPki.Create(_context.Time, "Other");

        var result = MessageLogVerifier.Verify(_context.DatabasePath, _context.VerifierOptions() with { TsaCertificates = [otherPki.Tsa] });

        AssertFailure(result, LogVerificationFailure.TimeStampInvalid, checkpoint: 4);
    }

    [Fact]
    public async Task Verify_OtherServerExpected_MalformedCheckpoint()
    {
        await WriteLogAsync();

        var result = MessageLogVerifier.Verify(_context.DatabasePath, _context.VerifierOptions() with { ServerId = "DEV/GOV/70000001/ss2" });

        AssertFailure(result, LogVerificationFailure.MalformedCheckpoint, checkpoint: 4);
    }

    [Fact]
    public async Task Verify_BodyErasedLater_StillValid()
    {
        await WriteLogAsync();
        Execute("UPDATE record SET body = NULL WHERE seq <= 6;");

        var result = MessageLogVerifier.Verify(_context.DatabasePath, _context.VerifierOptions());

        Assert.True(result.IsValid, result.ToString());
    }

    [Fact]
    public async Task Verify_CopyOfLiveDatabaseWithWalFiles_Valid()
    {
        // The state a SIGKILL leaves: committed transactions in the -wal file, never checkpointed.
        var store = await WriteLogAsync(close: false);
        Assert.True(File.Exists(_context.DatabasePath + "-wal"));
        var copy = _context.Directory.File("copy/messagelog.db");
        Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
        foreach (var suffix in new[] { string.Empty, "-wal", "-shm" })
        {
            File.Copy(_context.DatabasePath + suffix, copy + suffix);
        }

        var ofCopy = MessageLogVerifier.Verify(copy, _context.VerifierOptions());
        var ofLive = MessageLogVerifier.Verify(_context.DatabasePath, _context.VerifierOptions());

        Assert.True(ofCopy.IsValid, ofCopy.ToString());
        Assert.Equal(12, ofCopy.Records);
        Assert.True(ofLive.IsValid, ofLive.ToString());
        Assert.True((await store.AppendAsync(SampleRecords.Request(99, _context.Time.GetUtcNow()))).IsSuccess);
    }

    [Fact]
    public void Verify_MissingFile_Unreadable()
    {
        var result = MessageLogVerifier.Verify(_context.Directory.File("none.db"), _context.VerifierOptions());

        Assert.Equal(LogVerificationFailure.Unreadable, result.Failure);
    }

    [Fact]
    public async Task Verify_ForeignDatabase_NotAMessageLog()
    {
        var path = _context.Directory.File("other.db");
        await using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var cmd = connection.CreateCommand();
            cmd.CommandText = "CREATE TABLE x (y);";
            cmd.ExecuteNonQuery();
        }

        var result = MessageLogVerifier.Verify(path, _context.VerifierOptions());

        Assert.Equal(LogVerificationFailure.NotAMessageLog, result.Failure);
    }

    // 12 records (bodies on, except every third), checkpoints stamped at 4, 8 and 10, records 11-12 unstamped.
    private async Task<MessageLogStore> WriteLogAsync(bool close = true)
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

        if (close)
        {
            await store.DisposeAsync();
        }

        return store;
    }

    private static void AssertFailure(LogVerificationResult result, LogVerificationFailure failure, long? sequence = null, long? checkpoint = null)
    {
        Assert.False(result.IsValid);
        Assert.True(failure == result.Failure, result.ToString());
        Assert.Equal(sequence, result.Sequence);
        Assert.Equal(checkpoint, result.CheckpointTreeSize);
        Assert.False(string.IsNullOrEmpty(result.Message));
    }

    private void ReplaceCheckpoint(long treeSize, Checkpoint checkpoint, byte[] signature)
    {
        using var connection = Connect();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "UPDATE checkpoint SET root_hash = $root, created_at = $at, content = $content, signature = $sig WHERE tree_size = $size;";
        cmd.Parameters.AddWithValue("$root", checkpoint.RootHash.ToArray());
        cmd.Parameters.AddWithValue("$at", LogTime.ToUnixMicroseconds(checkpoint.CreatedAt));
        cmd.Parameters.AddWithValue("$content", checkpoint.Encode());
        cmd.Parameters.AddWithValue("$sig", signature);
        cmd.Parameters.AddWithValue("$size", treeSize);
        Assert.Equal(1, cmd.ExecuteNonQuery());
    }

    private byte[] ReadCheckpointContent(long treeSize)
    {
        using var connection = Connect();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT content FROM checkpoint WHERE tree_size = $size;";
        cmd.Parameters.AddWithValue("$size", treeSize);
        return (byte[])cmd.ExecuteScalar()!;
    }

    private byte[] ReadBlob(string column, long sequence)
    {
        using var connection = Connect();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = $"SELECT {column} FROM record WHERE seq = $seq;";
        cmd.Parameters.AddWithValue("$seq", sequence);
        return (byte[])cmd.ExecuteScalar()!;
    }

    private void WriteBlob(string column, long sequence, byte[] value)
    {
        using var connection = Connect();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = $"UPDATE record SET {column} = $value WHERE seq = $seq;";
        cmd.Parameters.AddWithValue("$value", value);
        cmd.Parameters.AddWithValue("$seq", sequence);
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
