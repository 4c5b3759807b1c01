using System.Text;
using ExchangeGateway.MessageLog.Evidence;

namespace ExchangeGateway.MessageLog.Tests.Evidence;

/// <summary>The reader accepts only what the writer writes, in bounded memory, and goes on after a bad line.</summary>
public sealed class LogExportReaderTests(ExportedLogFixture log) : IClassFixture<ExportedLogFixture>
{
    [Fact]
    public void ReadHeader_EmptyStream_Fails()
    {
        using var reader = new LogExportReader(new MemoryStream());

        var header = reader.ReadHeader();

        Assert.False(header.Success);
        Assert.Equal(LogExportFormat.MalformedCode, header.ErrorCode);
        Assert.Contains("there is no header line", header.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"format\":\"xgw-log-export/v1\"", "\"format\":\"xgw-log-export/v2\"", "format is not 'xgw-log-export/v1'")]
    [InlineData("\"witness\":[", "\"extra\":1,\"witness\":[", "header has an unknown property 'extra'")]
    [InlineData("\"witness\":[", "\"server\":\"DEV/GOV/70000001/ss1\",\"witness\":[", "header has the property 'server' twice")]
    [InlineData("\"server\":\"DEV/GOV/70000001/ss1\"", "\"server\":\"DEV/GOV/70000001\"", "server is not a canonical security server id")]
    [InlineData("\"from\":{\"treeSize\":10", "\"from\":{\"treeSize\":11", "from.frontier has 2 hashes; a tree of 11 records has 3")]
    [InlineData("\"to\":{\"treeSize\":40", "\"to\":{\"treeSize\":9", "from.treeSize 10 is larger than to.treeSize 9")]
    public void ReadHeader_NotWhatTheWriterWrites_FailsNamingIt(string find, string replace, string expected)
    {
        var lines = log.Lines();
        Assert.Contains(find, lines[0], StringComparison.Ordinal);
        lines[0] = lines[0].Replace(find, replace, StringComparison.Ordinal);
        using var reader = Reader(lines);

        var header = reader.ReadHeader();

        Assert.False(header.Success);
        Assert.Equal("line 1 (header): " + expected, header.Message);
    }

    [Theory]
    [InlineData("{\"sequence\":11,\"canonical\":\"AA==\",\"bodyState\":\"present\"}", "line 2: bodyState is present but there is no body")]
    [InlineData("{\"sequence\":11,\"canonical\":\"AA==\",\"body\":\"AA==\",\"bodyState\":\"erased\"}", "line 2: a body is given but bodyState is erased")]
    [InlineData("{\"sequence\":11,\"canonical\":\"AA==\",\"bodyState\":\"gone\"}", "line 2: bodyState 'gone' is not present, not-logged or erased")]
    [InlineData("{\"sequence\":11,\"canonical\":\"AA==\",\"bodyState\":\"erased\",\"note\":1}", "line 2: record has an unknown property 'note'")]
    [InlineData("{\"sequence\":11,\"sequence\":12,\"canonical\":\"AA==\",\"bodyState\":\"erased\"}", "line 2: record has the property 'sequence' twice")]
    [InlineData("{\"sequence\":0,\"canonical\":\"AA==\",\"bodyState\":\"erased\"}", "line 2: sequence is not positive")]
    [InlineData("{\"sequence\":11,\"canonical\":\"A?==\",\"bodyState\":\"erased\"}", "line 2: record.canonical holds a value that is not base64")]
    [InlineData("{\"end\":false,\"records\":30}", "line 2: end is not true")]
    [InlineData("", "line 2 is empty")]
    public void ReadItem_BadLine_FailsNamingTheLineAndTheNextLineStillReads(string bad, string expected)
    {
        var lines = log.Lines();
        lines.Insert(1, bad);
        using var reader = Reader(lines);
        Assert.True(reader.ReadHeader().Success);

        var item = reader.ReadItem();
        var next = reader.ReadItem();

        Assert.False(item.Success);
        Assert.Equal(expected, item.Message);
        Assert.True(next.Success, next.Message);
        Assert.Equal(11, next.Value.Record!.Sequence);
    }

    [Theory]
    [InlineData(100)]
    [InlineData(300_000)]
    public void ReadItem_LineLongerThanTheLimit_FailsAndReadingGoesOn(int excess)
    {
        // The second case is longer than the reader's buffer ever grows, so the line is skipped, not held.
        var lines = log.Lines();
        var limit = Math.Max(lines.Max(l => l.Length), 1024);
        lines.Insert(1, "{\"sequence\":11,\"canonical\":\"" + new string('A', limit + excess) + "\",\"bodyState\":\"erased\"}");
        using var reader = new LogExportReader(new MemoryStream(Encoding.UTF8.GetBytes(string.Join('\n', lines) + "\n")), maxLineBytes: limit);
        Assert.True(reader.ReadHeader().Success);

        var item = reader.ReadItem();
        var next = reader.ReadItem();

        Assert.False(item.Success);
        Assert.Equal($"line 2 is longer than {limit} bytes", item.Message);
        Assert.Equal(11, next.Value!.Record!.Sequence);
        Assert.Equal(3, reader.LineNumber);
    }

    [Fact]
    public void ReadItem_LineAfterTheEndLine_Fails()
    {
        var lines = log.Lines();
        lines.Add(lines[1]);
        using var reader = Reader(lines);
        reader.ReadHeader();
        for (var i = 0; i < 31; i++)
        {
            Assert.True(reader.ReadItem().Success);
        }

        var after = reader.ReadItem();

        Assert.False(after.Success);
        Assert.Equal("line 33: a line follows the end line", after.Message);
        Assert.Equal(LogExportItemKind.EndOfFile, reader.ReadItem().Value!.Kind);
    }

    [Fact]
    public void ReadItem_BeforeTheHeader_Throws()
    {
        using var reader = Reader(log.Lines());

        Assert.Throws<InvalidOperationException>(() => reader.ReadItem());
    }

    private static LogExportReader Reader(List<string> lines) => new(new MemoryStream(Encoding.UTF8.GetBytes(string.Join('\n', lines) + "\n")));
}
