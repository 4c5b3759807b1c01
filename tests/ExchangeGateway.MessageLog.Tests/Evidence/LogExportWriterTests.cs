using System.Text;
using ExchangeGateway.MessageLog.Evidence;
using ExchangeGateway.MessageLog.Records;
using ExchangeGateway.MessageLog.Storage;
using ExchangeGateway.Testing.Tools;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace ExchangeGateway.MessageLog.Tests.Evidence;

/// <summary>What the writer refuses before writing a byte, and how erased, archived and witnessed parts of a log export.</summary>
public sealed class LogExportWriterTests(ExportedLogFixture log) : IClassFixture<ExportedLogFixture>, IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData(11, 40, LogExportFailure.NotACheckpoint, 11)]
    [InlineData(10, 41, LogExportFailure.NotACheckpoint, 41)]
    [InlineData(24, 10, LogExportFailure.InvalidRange, 24)]
    [InlineData(-1, 10, LogExportFailure.InvalidRange, -1)]
    [InlineData(0, 0, LogExportFailure.InvalidRange, 0)]
    public async Task Write_BadRange_RefusedWithNothingWritten(long from, long to, LogExportFailure failure, long item)
    {
        using var output = new MemoryStream();

        var written = await Write(log.DatabasePath, from, to, output);

        Assert.Equal(failure, written.Failure);
        Assert.Equal(item, written.Item);
        Assert.False(string.IsNullOrEmpty(written.Message));
        Assert.Equal(0, output.Length);
    }

    [Fact]
    public async Task Write_ErasedBodies_ExportedAsErasedAndStillVerify()
    {
        var copy = Copy();
        Sql(copy, "UPDATE record SET body = NULL, body_state = 1 WHERE seq IN (12, 13);");
        using var output = new MemoryStream();

        var written = await Write(copy, 10, 40, output);

        Assert.True(written.IsSuccess, written.ToString());
        var lines = Encoding.UTF8.GetString(output.ToArray()).Split('\n');
        Assert.Contains("\"bodyState\":\"erased\"", lines[2], StringComparison.Ordinal);
        Assert.DoesNotContain("\"body\":", lines[2], StringComparison.Ordinal);
        Assert.Contains("\"bodyState\":\"present\"", lines[4], StringComparison.Ordinal);
        output.Position = 0;
        var report = LogExportVerifier.Verify(output, null, log.Witnesses, new LogExportVerifierOptions { Time = log.Time });
        Assert.True(report.Passed, report.FirstFailure?.ToString());
    }

    [Fact]
    public async Task Write_ArchivedRecordWithoutArchiveReader_RefusedNamingIt()
    {
        var copy = Copy();
        Archive(copy, 15);
        using var output = new MemoryStream();

        var written = await Write(copy, 10, 40, output);

        Assert.Equal(LogExportFailure.RecordUnavailable, written.Failure);
        Assert.Equal(15, written.Item);
        Assert.Equal(0, output.Length);
    }

    [Fact]
    public async Task Write_ArchivedRecordReadBack_ExportsItAsLoggedAndVerifies()
    {
        var original = Copy();
        var copy = Copy();
        Archive(copy, 15);
        await using var store = MessageLogStore.Open(new MessageLogOptions { DatabasePath = original, TimeStampFailurePeriod = () => TimeSpan.FromHours(4) }, log.Time, NullLogger.Instance);
        using var output = new MemoryStream();

        var written = await Write(copy, 10, 40, output, new LogExportWriterOptions { Time = log.Time, ArchivedRecord = seq => store.Read(seq).Record });

        Assert.True(written.IsSuccess, written.ToString());
        output.Position = 0;
        var report = LogExportVerifier.Verify(output, null, [], new LogExportVerifierOptions { Time = log.Time });
        Assert.True(report.Passed, report.FirstFailure?.ToString());
    }

    [Fact]
    public async Task Write_ArchiveReadsBackAnotherRecord_ThrowsAndCutsTheExportShort()
    {
        var original = Copy();
        var copy = Copy();
        Archive(copy, 15);
        await using var store = MessageLogStore.Open(new MessageLogOptions { DatabasePath = original, TimeStampFailurePeriod = () => TimeSpan.FromHours(4) }, log.Time, NullLogger.Instance);
        using var output = new MemoryStream();
        var options = new LogExportWriterOptions { Time = log.Time, ArchivedRecord = seq => store.Read(seq + 1).Record is { } other ? other with { Logged = other.Logged with { Sequence = seq } } : null };

        var thrown = await Assert.ThrowsAsync<InvalidDataException>(() => Write(copy, 10, 40, output, options));

        Assert.Contains("Archived record 15", thrown.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("\"end\":true", Encoding.UTF8.GetString(output.ToArray()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Write_StoredWitnessesInRange_AreIncluded()
    {
        var copy = Copy();
        var (statement, signature) = log.Witnesses[0];
        using (var connection = Open(copy))
        using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText = "INSERT INTO witness (tree_size, witnessed_at, witness_url, statement, signature) VALUES (24, 0, 'https://cs.dev.example:4180/witness/v1/checkpoints', $s, $g);";
            cmd.Parameters.AddWithValue("$s", statement.ToArray());
            cmd.Parameters.AddWithValue("$g", signature.ToArray());
            cmd.ExecuteNonQuery();
        }

        using var withStored = new MemoryStream();
        using var withoutStored = new MemoryStream();
        await Write(copy, 10, 40, withStored);
        await Write(copy, 24, 40, withoutStored, new LogExportWriterOptions { Time = log.Time, IncludeStoredWitnesses = false });

        withStored.Position = 0;
        var report = LogExportVerifier.Verify(withStored, null, [], new LogExportVerifierOptions { Time = log.Time });
        Assert.True(report.Passed, report.FirstFailure?.ToString());
        Assert.Contains(report.Checks, c => c.Name == "witness.24" && c.Passed);
        withoutStored.Position = 0;
        using var reader = new LogExportReader(withoutStored);
        Assert.Empty(reader.ReadHeader().Value!.Witnesses);
    }

    private Task<LogExportWriteResult> Write(string path, long from, long to, Stream output, LogExportWriterOptions? options = null) =>
        LogExportWriter.WriteAsync(path, from, to, log.Trust, [], output, options ?? new LogExportWriterOptions { Time = log.Time });

    private string Copy()
    {
        var path = _directory.File(Guid.NewGuid().ToString("N") + ".db");
        File.Copy(log.DatabasePath, path);
        return path;
    }

    /// <summary>What archiving leaves in the live row (MessageLog/Storage/LogSchema.cs, version 2).</summary>
    private static void Archive(string path, long sequence) =>
        Sql(path, $"UPDATE record SET body_state = 2, archive_id = 1, head = x'', signature = x'', ocsp = x'', body = NULL WHERE seq = {sequence};");

    private static void Sql(string path, string sql)
    {
        using var connection = Open(path);
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        Assert.True(cmd.ExecuteNonQuery() > 0);
    }

    private static SqliteConnection Open(string path)
    {
        var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        return connection;
    }
}
