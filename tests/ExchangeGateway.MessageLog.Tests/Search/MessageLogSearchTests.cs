using System.Security.Cryptography;
using ExchangeGateway.MessageLog.Records;
using ExchangeGateway.MessageLog.Search;
using ExchangeGateway.MessageLog.Tests.Support;
using Microsoft.Data.Sqlite;

namespace ExchangeGateway.MessageLog.Tests.Search;

/// <summary>The auditor's record search: each filter, the outcome rule, keyset pages, body states, and the indexes it uses.</summary>
public sealed class MessageLogSearchTests : IAsyncLifetime
{
    private const string Other = "DEV/GOV/70000009/other";
    private readonly LogTestContext _context = new();
    private MessageLogSearch _search = null!;

    private DateTimeOffset T0 { get; } = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public async Task InitializeAsync()
    {
        var store = _context.OpenStore();
        MessageRecord[] records =
        [
            SampleRecords.Request(1, T0),
            SampleRecords.Response(1, T0.AddSeconds(1)),
            SampleRecords.Request(3, T0.AddSeconds(2), side: RecordSide.Server),
            SampleRecords.Response(3, T0.AddSeconds(3), side: RecordSide.Server) with { HttpStatus = 500 },
            SampleRecords.Response(5, T0.AddSeconds(4)) with
            {
                ErrorCode = "server.serverproxy.access_denied",
                HttpStatus = null,
                Head = ReadOnlyMemory<byte>.Empty,
                Signature = ReadOnlyMemory<byte>.Empty,
                Ocsp = ReadOnlyMemory<byte>.Empty,
                Body = null,
                BodyLength = 0,
                BodyDigest = SHA512.HashData([]),
            },
            SampleRecords.Request(6, T0.AddSeconds(5)) with { ClientId = Other },
            SampleRecords.Response(6, T0.AddSeconds(6)) with { ClientId = Other, HttpStatus = 404 },
            SampleRecords.Request(8, T0.AddSeconds(7), logBody: false),
        ];
        foreach (var record in records)
        {
            Assert.True((await store.AppendAsync(record)).IsSuccess);
        }

        await store.DisposeAsync();
        _search = MessageLogSearch.Open(_context.DatabasePath, TimeSpan.FromSeconds(1));
    }

    public async Task DisposeAsync()
    {
        _search.Dispose();
        await _context.DisposeAsync();
    }

    [Fact]
    public void Search_NoFilter_AllInSequenceOrder_LastPage()
    {
        var page = _search.Search(new RecordQuery());

        Assert.Equal([1L, 2, 3, 4, 5, 6, 7, 8], Sequences(page));
        Assert.Null(page.Next);
        var first = page.Records[0];
        Assert.Equal(T0, first.At);
        Assert.Equal(RecordSide.Client, first.Side);
        Assert.Equal(RecordKind.Request, first.Kind);
        Assert.Equal("msg-1", first.MessageId);
        Assert.Equal(SampleRecords.RequestIdOf(1), first.RequestId);
        Assert.Equal("DEV/ORG/70000002/clinic", first.ClientId);
        Assert.Equal("DEV/GOV/70000001/consumer/echo", first.ServiceId);
        Assert.Equal("EE12345678901", first.UserId);
        Assert.Equal(1024, first.BodyLength);
    }

    [Fact]
    public void Search_Pages_KeysetByTheLastSequence()
    {
        var pages = new List<long[]>();
        long after = 0;
        for (var i = 0; i < 10; i++)
        {
            var page = _search.Search(new RecordQuery { Limit = 3, After = after });
            pages.Add(Sequences(page));
            if (page.Next is not { } next)
            {
                break;
            }

            Assert.Equal(page.Records[^1].Sequence, next);
            after = next;
        }

        Assert.Equal([[1L, 2, 3], [4L, 5, 6], [7L, 8]], pages);
    }

    [Fact]
    public void Search_ExactlyOneFullPage_HasNoNext()
    {
        var page = _search.Search(new RecordQuery { Limit = 8 });

        Assert.Equal(8, page.Records.Count);
        Assert.Null(page.Next);
    }

    [Fact]
    public void Search_TimeRange_FromInclusiveToExclusive() =>
        Assert.Equal([3L, 4, 5], Sequences(_search.Search(new RecordQuery { From = T0.AddSeconds(2), To = T0.AddSeconds(5) })));

    [Fact]
    public void Search_ByClient() =>
        Assert.Equal([6L, 7], Sequences(_search.Search(new RecordQuery { ClientId = Other })));

    [Fact]
    public void Search_ByService_ExactText() =>
        Assert.Empty(_search.Search(new RecordQuery { ServiceId = "DEV/GOV/70000001/consumer/ECHO" }).Records);

    [Fact]
    public void Search_ByMessageId() =>
        Assert.Equal([3L, 4], Sequences(_search.Search(new RecordQuery { MessageId = "msg-3" })));

    [Fact]
    public void Search_ErrorOutcome_IsAnErrorCodeOrAStatusOf400AndAbove()
    {
        var errors = _search.Search(new RecordQuery { Outcome = RecordOutcome.Error });
        var successes = _search.Search(new RecordQuery { Outcome = RecordOutcome.Success });

        Assert.Equal([4L, 5, 7], Sequences(errors));
        Assert.All(errors.Records, r => Assert.Equal(RecordOutcome.Error, r.Outcome));
        Assert.Equal([1L, 2, 3, 6, 8], Sequences(successes));
        Assert.Equal("server.serverproxy.access_denied", errors.Records[1].ErrorCode);
        Assert.Equal(404, errors.Records[2].HttpStatus);
    }

    [Fact]
    public void Search_BySideAndKind() =>
        Assert.Equal([4L], Sequences(_search.Search(new RecordQuery { Side = RecordSide.Server, Kind = RecordKind.Response })));

    [Fact]
    public void Search_FiltersCombineWithAfter() =>
        Assert.Equal([6L, 8], Sequences(_search.Search(new RecordQuery { Kind = RecordKind.Request, Outcome = RecordOutcome.Success, After = 3 })));

    [Fact]
    public void Search_BodyStates()
    {
        using (var connection = new SqliteConnection($"Data Source={_context.DatabasePath};Pooling=False"))
        {
            connection.Open();
            using var cmd = connection.CreateCommand();
            cmd.CommandText = "UPDATE record SET body_state = 1, body = NULL WHERE seq = 2; UPDATE record SET body_state = 2, body = NULL, head = x'' WHERE seq = 3;";
            cmd.ExecuteNonQuery();
        }

        var states = _search.Search(new RecordQuery()).Records.ToDictionary(r => r.Sequence, r => r.BodyState);

        Assert.Equal(BodyLocation.Present, states[1]);
        Assert.Equal(BodyLocation.Erased, states[2]);
        Assert.Equal(BodyLocation.Archived, states[3]);
        Assert.Equal(BodyLocation.NotLogged, states[5]);
        Assert.Equal(BodyLocation.NotLogged, states[8]);
    }

    [Fact]
    public void Search_UsesTheMessageIdAndTimeIndexes()
    {
        Assert.Contains("record_message_id", _search.Explain(new RecordQuery { MessageId = "msg-3" }), StringComparison.Ordinal);
        Assert.Contains("record_at", _search.Explain(new RecordQuery { From = T0, To = T0.AddSeconds(1) }), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1001, 0)]
    [InlineData(10, -1)]
    public void Search_OutOfRangeLimitOrAfter_Throws(int limit, long after) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => _search.Search(new RecordQuery { Limit = limit, After = after }));

    private static long[] Sequences(RecordPage page) => [.. page.Records.Select(r => r.Sequence)];
}
