using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ExchangeGateway.Common.Crypto.Cms;
using ExchangeGateway.Common.Crypto.Merkle;
using ExchangeGateway.Common.Identifiers;
using ExchangeGateway.MessageLog.Integration;
using ExchangeGateway.MessageLog.Records;
using ExchangeGateway.MessageLog.Storage;
using ExchangeGateway.SecurityServer.Admin;
using ExchangeGateway.SecurityServer.Onboarding;
using ExchangeGateway.SecurityServer.Tests.Registry;
using ExchangeGateway.Testing.Pki;
using ExchangeGateway.Testing.Time;
using ExchangeGateway.Testing.Tools;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using static ExchangeGateway.SecurityServer.Tests.Admin.RegistryAdminApiTests;

namespace ExchangeGateway.SecurityServer.Tests.Admin;

/// <summary>
/// The auditor's message-log proof routes (issue #7) over HTTP on a real host with a real store and
/// integrator: what they serve verifies with <see cref="MerkleProofs"/>, and bad inputs have exact codes.
/// </summary>
public sealed class MessageLogProofsAdminApiTests : IAsyncLifetime
{
    private static readonly long[] CheckpointSizes = [3, 8, 11];
    private readonly TempDirectory _dir = new();
    private readonly ManualTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private TestPki _pki = null!;
    private MessageLogStore _store = null!;
    private AdminTestHost _host = null!;
    private HttpClient _auditor = null!;

    public async Task InitializeAsync()
    {
        _pki = TestPki.Create(_time);
        var signer = _pki.IssueSigning("DEV", "GOV", "70000001");
        _store = MessageLogStore.Open(new MessageLogOptions { DatabasePath = _dir.File("messagelog/messagelog.db") }, _time, NullLogger.Instance);
        using (var integrator = new LogIntegrator(
            _store,
            new LogIntegratorOptions { ServerId = SecurityServerId.Parse("DEV/GOV/70000001/ss1") },
            (content, _) => Task.FromResult(CmsDetachedSigner.Sign(content, signer, _time.GetUtcNow(), [_pki.IntermediateCertificate])),
            () => [],
            _time,
            NullLogger.Instance))
        {
            for (var i = 1; i <= 11; i++)
            {
                Assert.True((await _store.AppendAsync(Record(i))).IsSuccess);
                if (CheckpointSizes.Contains(i))
                {
                    _time.Advance(TimeSpan.FromSeconds(1));
                    Assert.Equal(i, (await integrator.IntegrateOnceAsync()).CreatedCheckpoint);
                }
            }
        }

        await File.WriteAllTextAsync(_dir.File("serverconf.json"), RegistrySamples.ContractExample);
        _host = await AdminTestHost.StartAsync(_dir.Path, builder =>
        {
            builder.Configuration["SecurityServer:Admin:RateLimitBurst"] = "100000";
            builder.Services.AddSingleton<IOnboarding, RecordingOnboarding>();
            builder.Services.AddSingleton(_store);
        });
        _auditor = _host.Client(_host.CreateKey(AdminRole.Auditor));
    }

    public async Task DisposeAsync()
    {
        _auditor.Dispose();
        await _host.DisposeAsync();
        await _store.DisposeAsync();
        _pki.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task Checkpoints_NewestFirst_WithRootAndSignedContent()
    {
        using var all = await Json(await _auditor.GetAsync("api/v1/message-log/checkpoints"));
        Assert.Equal([11L, 8L, 3L], all.RootElement.EnumerateArray().Select(c => c.GetProperty("treeSize").GetInt64()));
        var newest = all.RootElement[0];
        Assert.Equal(_store.GetCheckpoint(11)!.RootHash.ToString(), newest.GetProperty("rootHash").GetString());
        var signed = Checkpoint.Parse(Convert.FromBase64String(newest.GetProperty("content").GetString()!)).GetValueOrThrow();
        Assert.Equal(newest.GetProperty("rootHash").GetString(), signed.RootHash.ToString());
        Assert.Equal(JsonValueKind.Null, newest.GetProperty("stampedAt").ValueKind);
        Assert.Equal(JsonValueKind.Null, newest.GetProperty("tsaUrl").ValueKind);
        Assert.Equal(_store.GetCheckpoint(11)!.CreatedAt, newest.GetProperty("createdAt").GetDateTimeOffset());

        using var one = await Json(await _auditor.GetAsync("api/v1/message-log/checkpoints?limit=1"));
        Assert.Equal(1, one.RootElement.GetArrayLength());
    }

    [Fact]
    public async Task Inclusion_EveryRecordInEveryLaterCheckpoint_VerifiesAgainstTheServedRoot()
    {
        foreach (var size in CheckpointSizes)
        {
            for (var sequence = 1; sequence <= size; sequence++)
            {
                using var body = await Json(await _auditor.GetAsync($"api/v1/message-log/records/{sequence}/inclusion?treeSize={size}"));
                var root = body.RootElement;
                Assert.Equal(sequence, root.GetProperty("sequence").GetInt64());
                Assert.Equal(sequence - 1, root.GetProperty("leafIndex").GetInt64());
                Assert.Equal(_store.Get(sequence)!.LeafHash.ToString(), root.GetProperty("leafHash").GetString());
                var checkpointRoot = Hash(root.GetProperty("checkpoint").GetProperty("rootHash"));
                Assert.Equal(_store.GetCheckpoint(size)!.RootHash, checkpointRoot);
                var proof = root.GetProperty("proof").EnumerateArray().Select(Hash).ToArray();
                var result = MerkleProofs.VerifyInclusion(Hash(root.GetProperty("leafHash")), sequence - 1, size, proof, checkpointRoot);
                Assert.True(result.IsValid, $"{sequence} in {size}: {result}");
            }
        }
    }

    [Fact]
    public async Task Consistency_BetweenCheckpoints_Verifies()
    {
        foreach (var (from, to) in new[] { (3L, 8L), (3L, 11L), (8L, 11L), (8L, 8L) })
        {
            using var body = await Json(await _auditor.GetAsync($"api/v1/message-log/consistency?from={from}&to={to}"));
            var root = body.RootElement;
            var proof = root.GetProperty("proof").EnumerateArray().Select(Hash).ToArray();
            var result = MerkleProofs.VerifyConsistency(
                from, to, Hash(root.GetProperty("fromCheckpoint").GetProperty("rootHash")), Hash(root.GetProperty("toCheckpoint").GetProperty("rootHash")), proof);
            Assert.True(result.IsValid, $"{from} -> {to}: {result}");
            Assert.Equal(_store.GetCheckpoint(from)!.RootHash, Hash(root.GetProperty("fromCheckpoint").GetProperty("rootHash")));
        }
    }

    [Fact]
    public async Task Observer_IsForbiddenOnEveryProofRoute()
    {
        using var observer = _host.Client(_host.CreateKey(AdminRole.Observer));

        await AssertProblem(await observer.GetAsync("api/v1/message-log/checkpoints"), HttpStatusCode.Forbidden, "admin.forbidden");
        await AssertProblem(await observer.GetAsync("api/v1/message-log/records/1/inclusion?treeSize=3"), HttpStatusCode.Forbidden, "admin.forbidden");
        await AssertProblem(await observer.GetAsync("api/v1/message-log/consistency?from=3&to=8"), HttpStatusCode.Forbidden, "admin.forbidden");
    }

    [Theory]
    [InlineData("checkpoints?limit=0", HttpStatusCode.BadRequest, "request.invalid")]
    [InlineData("checkpoints?limit=abc", HttpStatusCode.BadRequest, "request.invalid")]
    [InlineData("checkpoints?limit=1001", HttpStatusCode.BadRequest, "request.invalid")]
    [InlineData("records/x/inclusion?treeSize=3", HttpStatusCode.BadRequest, "request.invalid")]
    [InlineData("records/1/inclusion", HttpStatusCode.BadRequest, "messagelog.invalid_range")]
    [InlineData("records/1/inclusion?treeSize=abc", HttpStatusCode.BadRequest, "messagelog.invalid_range")]
    [InlineData("records/1/inclusion?treeSize=0", HttpStatusCode.BadRequest, "messagelog.invalid_range")]
    [InlineData("records/1/inclusion?treeSize=3&treeSize=8", HttpStatusCode.BadRequest, "messagelog.invalid_range")]
    [InlineData("records/4/inclusion?treeSize=3", HttpStatusCode.NotFound, "messagelog.not_found")]
    [InlineData("records/0/inclusion?treeSize=3", HttpStatusCode.NotFound, "messagelog.not_found")]
    [InlineData("records/1/inclusion?treeSize=4", HttpStatusCode.NotFound, "messagelog.not_found")]
    [InlineData("records/1/inclusion?treeSize=12", HttpStatusCode.NotFound, "messagelog.not_found")]
    [InlineData("consistency?from=8&to=3", HttpStatusCode.BadRequest, "messagelog.invalid_range")]
    [InlineData("consistency?from=0&to=3", HttpStatusCode.BadRequest, "messagelog.invalid_range")]
    [InlineData("consistency?to=3", HttpStatusCode.BadRequest, "messagelog.invalid_range")]
    [InlineData("consistency?from=3&to=x", HttpStatusCode.BadRequest, "messagelog.invalid_range")]
    [InlineData("consistency?from=4&to=8", HttpStatusCode.NotFound, "messagelog.not_found")]
    [InlineData("consistency?from=3&to=9", HttpStatusCode.NotFound, "messagelog.not_found")]
    public async Task BadInput_HasItsExactCode(string path, HttpStatusCode status, string code)
    {
        await AssertProblem(await _auditor.GetAsync("api/v1/message-log/" + path), status, code);
    }

    private static MerkleHash Hash(JsonElement hex) => new(Convert.FromHexString(hex.GetString()!));

    private MessageRecord Record(int i)
    {
        var body = Encoding.UTF8.GetBytes($"{{\"n\":{i}}}");
        return new MessageRecord
        {
            Side = RecordSide.Client,
            Kind = RecordKind.Request,
            MessageId = "msg-" + i,
            RequestId = Guid.NewGuid(),
            ClientId = "DEV/ORG/70000002/clinic",
            ServiceId = "DEV/GOV/70000001/consumer/echo",
            At = _time.GetUtcNow(),
            Head = Encoding.UTF8.GetBytes($"POST /r1/DEV/GOV/70000001/consumer/echo\nx-road-id: msg-{i}\n"),
            Signature = RandomNumberGenerator.GetBytes(64),
            Ocsp = RandomNumberGenerator.GetBytes(64),
            BodyDigest = SHA512.HashData(body),
            BodyLength = body.Length,
            Body = body,
        };
    }
}
