using System.Net;
using System.Text.Json;
using ExchangeGateway.MessageLog.Records;
using ExchangeGateway.MessageLog.Search;
using ExchangeGateway.MessageLog.Storage;
using ExchangeGateway.SecurityServer.Admin;
using ExchangeGateway.SecurityServer.Onboarding;
using ExchangeGateway.SecurityServer.Tests.Registry;
using ExchangeGateway.Testing.Time;
using ExchangeGateway.Testing.Tools;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using static ExchangeGateway.SecurityServer.Tests.Admin.RegistryAdminApiTests;

namespace ExchangeGateway.SecurityServer.Tests.Admin;

/// <summary>The auditor's record search over HTTP on a real host with a real log: the JSON served, paging, and each refused parameter named.</summary>
public sealed class MessageLogAuditorApiTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _dir = new();
    private readonly ManualTimeProvider _time = new(T0);
    private MessageLogStore _store = null!;
    private MessageLogSearch _search = null!;
    private AdminTestHost _host = null!;
    private HttpClient _auditor = null!;

    public async Task InitializeAsync()
    {
        _store = MessageLogStore.Open(new MessageLogOptions { DatabasePath = _dir.File("messagelog/messagelog.db") }, _time, NullLogger.Instance);
        for (var i = 1; i <= 5; i++)
        {
            var record = new MessageRecord
            {
                Side = RecordSide.Server,
                Kind = i % 2 == 1 ? RecordKind.Request : RecordKind.Response,
                MessageId = "m-" + ((i + 1) / 2),
                RequestId = new Guid(i, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10),
                ClientId = i <= 2 ? "DEV/GOV/70000001/consumer" : "DEV/GOV/70000001/other",
                ServiceId = "DEV/ORG/70000002/provider/echo",
                At = T0.AddSeconds(i),
                HttpStatus = i == 4 ? 503 : i % 2 == 0 ? 200 : null,
                Head = "{}"u8.ToArray(),
                Signature = new byte[] { 1 },
                BodyDigest = System.Security.Cryptography.SHA512.HashData("x"u8),
                BodyLength = 1,
                Body = i == 3 ? (ReadOnlyMemory<byte>?)null : "x"u8.ToArray(),
            };
            Assert.True((await _store.AppendAsync(record)).IsSuccess);
        }

        _search = MessageLogSearch.Open(_store.DatabasePath, TimeSpan.FromSeconds(1));
        await File.WriteAllTextAsync(_dir.File("serverconf.json"), RegistrySamples.ContractExample);
        _host = await AdminTestHost.StartAsync(_dir.Path, builder =>
        {
            builder.Configuration["SecurityServer:Admin:RateLimitBurst"] = "100000";
            builder.Services.AddSingleton<IOnboarding, RecordingOnboarding>();
            builder.Services.AddSingleton(_store);
            builder.Services.AddSingleton(_search);
        });
        _auditor = _host.Client(_host.CreateKey(AdminRole.Auditor));
    }

    public async Task DisposeAsync()
    {
        _auditor.Dispose();
        await _host.DisposeAsync();
        _search.Dispose();
        await _store.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task Search_MetadataOnly_OldestFirst_PagedByNext()
    {
        using var first = await Json(await _auditor.GetAsync("api/v1/message-log/records?limit=2"));
        var records = first.RootElement.GetProperty("records");
        Assert.Equal(2, first.RootElement.GetProperty("next").GetInt64());
        Assert.Equal([1L, 2], records.EnumerateArray().Select(r => r.GetProperty("sequence").GetInt64()));
        var one = records[0];
        Assert.Equal(
            ["sequence", "at", "loggedAt", "side", "kind", "messageId", "requestId", "client", "service", "userId", "httpStatus", "errorCode", "outcome", "bodyLength", "bodyState", "leafHash"],
            one.EnumerateObject().Select(p => p.Name));
        Assert.Equal(T0.AddSeconds(1), one.GetProperty("at").GetDateTimeOffset());
        Assert.Equal("server", one.GetProperty("side").GetString());
        Assert.Equal("request", one.GetProperty("kind").GetString());
        Assert.Equal("m-1", one.GetProperty("messageId").GetString());
        Assert.Equal(new Guid(1, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10).ToString("D"), one.GetProperty("requestId").GetString());
        Assert.Equal("DEV/GOV/70000001/consumer", one.GetProperty("client").GetString());
        Assert.Equal("success", one.GetProperty("outcome").GetString());
        Assert.Equal("present", one.GetProperty("bodyState").GetString());
        Assert.Equal(_store.Get(1)!.LeafHash.ToString(), one.GetProperty("leafHash").GetString());

        using var rest = await Json(await _auditor.GetAsync("api/v1/message-log/records?limit=2&after=4"));
        Assert.Equal([5L], rest.RootElement.GetProperty("records").EnumerateArray().Select(r => r.GetProperty("sequence").GetInt64()));
        Assert.Equal(JsonValueKind.Null, rest.RootElement.GetProperty("next").ValueKind);
    }

    [Fact]
    public async Task Search_FiltersFromTheQueryString()
    {
        using var errors = await Json(await _auditor.GetAsync("api/v1/message-log/records?outcome=error"));
        using var other = await Json(await _auditor.GetAsync("api/v1/message-log/records?client=DEV%2FGOV%2F70000001%2Fother&kind=request"));
        using var range = await Json(await _auditor.GetAsync("api/v1/message-log/records?from=2026-03-01T12:00:02Z&to=2026-03-01T13:00:04%2B01:00"));
        using var message = await Json(await _auditor.GetAsync("api/v1/message-log/records?messageId=m-2&side=server"));

        Assert.Equal([4L], Sequences(errors));
        Assert.Equal(503, errors.RootElement.GetProperty("records")[0].GetProperty("httpStatus").GetInt32());
        Assert.Equal([3L, 5], Sequences(other));
        Assert.Equal("not-logged", other.RootElement.GetProperty("records")[0].GetProperty("bodyState").GetString());
        Assert.Equal([2L, 3], Sequences(range));
        Assert.Equal([3L, 4], Sequences(message));
    }

    [Theory]
    [InlineData("limit=0", "limit: must be an integer from 1 to 1000.")]
    [InlineData("limit=1001", "limit: must be an integer from 1 to 1000.")]
    [InlineData("limit=ten", "limit: must be an integer from 1 to 1000.")]
    [InlineData("limit=1&limit=2", "limit: give it once, with a value.")]
    [InlineData("after=-1", "after: must be a record sequence number (a non-negative integer).")]
    [InlineData("from=2026-03-01", "from: must be an RFC 3339 time with a zone, e.g. 2026-03-01T12:00:00Z.")]
    [InlineData("from=2026-03-01T12:00:00", "from: must be an RFC 3339 time with a zone, e.g. 2026-03-01T12:00:00Z.")]
    [InlineData("to=yesterday", "to: must be an RFC 3339 time with a zone, e.g. 2026-03-01T13:00:00Z.")]
    [InlineData("from=2026-03-01T12:00:00Z&to=2026-03-01T12:00:00Z", "to: must be after from.")]
    [InlineData("client=DEV%2FGOV", "client: ")]
    [InlineData("service=DEV%2FGOV%2F70000001%2Fconsumer", "service: ")]
    [InlineData("messageId=", "messageId: give it once, with a value.")]
    [InlineData("outcome=failed", "outcome: must be success or error.")]
    [InlineData("side=both", "side: must be client or server.")]
    [InlineData("kind=request%2Cresponse", "kind: must be request or response.")]
    [InlineData("clientId=DEV%2FGOV%2F70000001%2Fconsumer", "clientId: unknown parameter (known: ")]
    public async Task Search_BadParameter_InvalidQueryNamingIt(string query, string detail)
    {
        using var response = await _auditor.GetAsync("api/v1/message-log/records?" + query);
        var text = await response.Content.ReadAsStringAsync();

        Assert.True(HttpStatusCode.BadRequest == response.StatusCode, text);
        using var problem = JsonDocument.Parse(text);
        Assert.Equal("messagelog.invalid_query", problem.RootElement.GetProperty("code").GetString());
        Assert.StartsWith(detail, problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_MessageIdLongerThanAnyHeadAllows_Refused()
    {
        using var response = await _auditor.GetAsync("api/v1/message-log/records?messageId=" + new string('m', 256));

        await AssertProblem(response, HttpStatusCode.BadRequest, "messagelog.invalid_query");
    }

    [Fact]
    public async Task Integrity_HostWithoutAMonitor_Unavailable()
    {
        using var response = await _auditor.GetAsync("api/v1/message-log/integrity");

        await AssertProblem(response, HttpStatusCode.ServiceUnavailable, "admin.unavailable");
    }

    [Fact]
    public async Task Observer_IsForbiddenOnSearchAndIntegrity()
    {
        using var observer = _host.Client(_host.CreateKey(AdminRole.Observer));

        await AssertProblem(await observer.GetAsync("api/v1/message-log/records"), HttpStatusCode.Forbidden, "admin.forbidden");
        await AssertProblem(await observer.GetAsync("api/v1/message-log/integrity"), HttpStatusCode.Forbidden, "admin.forbidden");
    }

    private static long[] Sequences(JsonDocument page) =>
        [.. page.RootElement.GetProperty("records").EnumerateArray().Select(r => r.GetProperty("sequence").GetInt64())];
}
