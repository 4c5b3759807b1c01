using System.Net;
using System.Security.Cryptography;
using System.Text;
using ExchangeGateway.Common.Crypto.Cms;
using ExchangeGateway.Common.Identifiers;
using ExchangeGateway.MessageLog.Archiving;
using ExchangeGateway.MessageLog.Integration;
using ExchangeGateway.MessageLog.Records;
using ExchangeGateway.MessageLog.Storage;
using ExchangeGateway.MessageLog.Verification;
using ExchangeGateway.SecurityServer.Admin;
using ExchangeGateway.SecurityServer.Onboarding;
using ExchangeGateway.SecurityServer.Tests.Registry;
using ExchangeGateway.Testing.Hosting;
using ExchangeGateway.Testing.Pki;
using ExchangeGateway.Testing.Time;
using ExchangeGateway.Testing.Tools;
using ExchangeGateway.TrustServices.Tsa;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using static ExchangeGateway.SecurityServer.Tests.Admin.RegistryAdminApiTests;

namespace ExchangeGateway.SecurityServer.Tests.Admin;

/// <summary>
/// <c>POST /api/v1/message-log/retention-runs</c> (issue #7) on a real host with a real store, integrator, TSA
/// and archiver: it erases and archives what is due, reports it, and the log still verifies.
/// </summary>
public sealed class MessageLogRetentionAdminApiTests : IAsyncLifetime
{
    private const string Route = "api/v1/message-log/retention-runs";
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _dir = new();
    private readonly ManualTimeProvider _time = new(Start);
    private TestPki _pki = null!;
    private LoopbackHost _tsa = null!;
    private MessageLogStore _store = null!;
    private MessageLogArchiver _archiver = null!;
    private AdminTestHost _host = null!;
    private bool _signerDown;

    public async Task InitializeAsync()
    {
        _pki = TestPki.Create(_time);
        var signer = _pki.IssueSigning("DEV", "GOV", "70000001");
        Task<byte[]> Sign(byte[] content, CancellationToken _) => _signerDown
            ? throw new InvalidOperationException("the token is logged out")
            : Task.FromResult(CmsDetachedSigner.Sign(content, signer, _time.GetUtcNow(), [_pki.IntermediateCertificate]));

        var authority = new TimeStampAuthority(_pki.Tsa, _time);
        _tsa = await LoopbackHost.StartAsync(null, app => app.MapTimeStamping("/tsa", authority));
        var tsa = new TsaEndpoint(new Uri(_tsa.BaseAddress, "tsa"), System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(_pki.Tsa.RawData));
        _store = MessageLogStore.Open(new MessageLogOptions { DatabasePath = _dir.File("data/messagelog.db") }, _time, NullLogger.Instance);
        var serverId = SecurityServerId.Parse("DEV/GOV/70000001/ss1");
        using (var integrator = new LogIntegrator(_store, new LogIntegratorOptions { ServerId = serverId }, Sign, () => [tsa], _time, NullLogger.Instance))
        {
            for (var i = 1; i <= 30; i++)
            {
                Assert.True((await _store.AppendAsync(Record(i))).IsSuccess);
            }

            _time.Advance(TimeSpan.FromSeconds(1));
            Assert.Equal(30, (await integrator.IntegrateOnceAsync()).StampedCheckpoint);
        }

        // Thirty days on: bodies older than 20 days go, records older than 25 days (1–20) are archived.
        _time.Advance(TimeSpan.FromDays(30));
        _archiver = new MessageLogArchiver(
            _store,
            new ArchiverOptions { ServerId = serverId, ArchiveAfter = TimeSpan.FromDays(30) - TimeSpan.FromMinutes(20.5), BodyRetention = TimeSpan.FromDays(30) - TimeSpan.FromMinutes(25.5), MaxRecordsPerArchive = 8 },
            Sign,
            _time,
            NullLogger.Instance);
        await File.WriteAllTextAsync(_dir.File("serverconf.json"), RegistrySamples.ContractExample);
        _host = await AdminTestHost.StartAsync(_dir.Path, builder =>
        {
            builder.Configuration["SecurityServer:Admin:RateLimitBurst"] = "100000";
            builder.Services.AddSingleton<IOnboarding, RecordingOnboarding>();
            builder.Services.AddSingleton(_store);
            builder.Services.AddSingleton(_archiver);
        });
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _archiver.Dispose();
        await _store.DisposeAsync();
        await _tsa.DisposeAsync();
        _pki.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task RetentionRun_SystemAdministrator_ErasesArchivesAndReportsWhatItDid()
    {
        using var admin = _host.Client(_host.CreateKey(AdminRole.SystemAdministrator));

        using var response = await admin.PostAsync(Route, null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = await Json(response);
        var run = body.RootElement;
        Assert.Equal(_time.GetUtcNow(), run.GetProperty("startedAt").GetDateTimeOffset());
        Assert.Equal(20, run.GetProperty("bodiesErased").GetInt64()); // records 1–25 without 5, 10, 15, 20, 25
        Assert.Equal(20, run.GetProperty("recordsArchived").GetInt64());
        Assert.Equal(20, run.GetProperty("archivedThrough").GetInt64());
        Assert.Equal(30, run.GetProperty("stampedTreeSize").GetInt64());
        var archives = run.GetProperty("archives").EnumerateArray().ToList();
        Assert.Equal([(1L, 1L, 8L), (2L, 9L, 16L), (3L, 17L, 20L)], archives.Select(a => (a.GetProperty("id").GetInt64(), a.GetProperty("firstSequence").GetInt64(), a.GetProperty("lastSequence").GetInt64())));
        Assert.Equal("xgw-archive-2.xgwa", archives[1].GetProperty("fileName").GetString());
        Assert.Equal(new FileInfo(Path.Combine(_store.ArchiveDirectory, "xgw-archive-2.xgwa")).Length, archives[1].GetProperty("bytes").GetInt64());
        Assert.All(archives, a => Assert.Equal(0, a.GetProperty("bodies").GetInt64())); // their bodies were erased first
        Assert.All(archives, a => Assert.False(a.GetProperty("encrypted").GetBoolean()));

        Assert.Equal(RecordBodyState.Erased, _store.Read(3).Record!.BodyState);
        Assert.Equal(1, _store.Read(3).Record!.ArchiveId);
        Assert.Equal(RecordBodyState.Erased, _store.Read(23).Record!.BodyState);
        Assert.Equal(RecordBodyState.Present, _store.Read(27).Record!.BodyState);
        var verified = MessageLogVerifier.Verify(_store.DatabasePath, new MessageLogVerifierOptions
        {
            SigningAnchors = [_pki.RootCertificate],
            SigningIntermediates = [_pki.IntermediateCertificate],
            ArchiveDirectory = _store.ArchiveDirectory,
            Time = _time,
        });
        Assert.True(verified.IsValid, verified.ToString());
        Assert.Equal((20L, 4L), (verified.ArchivedRecords, verified.ErasedBodies));

        // Nothing more is due: a second run does nothing and says so.
        using var again = await Json(await admin.PostAsync(Route, null));
        Assert.Equal(0, again.RootElement.GetProperty("bodiesErased").GetInt64());
        Assert.Equal(0, again.RootElement.GetProperty("recordsArchived").GetInt64());
        Assert.Equal(0, again.RootElement.GetProperty("archives").GetArrayLength());
        Assert.Equal(20, again.RootElement.GetProperty("archivedThrough").GetInt64());
    }

    [Fact]
    public async Task RetentionRun_SignerUnavailable_503WithWhatWasDone()
    {
        _signerDown = true;
        using var admin = _host.Client(_host.CreateKey(AdminRole.SystemAdministrator));

        var problem = await AssertProblem(await admin.PostAsync(Route, null), HttpStatusCode.ServiceUnavailable, "messagelog.retention_failed");

        Assert.Equal(
            "The retention pass stopped: archive 1's manifest cannot be signed: the token is logged out Done before it stopped: 20 bodies erased, 0 records archived in 0 archives.",
            problem.GetProperty("detail").GetString());
        Assert.Empty(Directory.GetFiles(_store.ArchiveDirectory));
        Assert.Null(_store.Read(3).Record!.ArchiveId);
    }

    [Fact]
    public async Task RetentionRun_AuditorOrObserver_Forbidden()
    {
        foreach (var role in new[] { AdminRole.Auditor, AdminRole.Observer })
        {
            using var http = _host.Client(_host.CreateKey(role));
            await AssertProblem(await http.PostAsync(Route, null), HttpStatusCode.Forbidden, "admin.forbidden");
        }

        Assert.False(Directory.Exists(_store.ArchiveDirectory));
        Assert.Equal(RecordBodyState.Present, _store.Read(3).Record!.BodyState);
    }

    [Fact]
    public async Task RetentionRun_ServerNotInitialised_409AndNothingDone()
    {
        using var empty = new TempDirectory();
        await using var host = await AdminTestHost.StartAsync(empty.Path, builder =>
        {
            builder.Services.AddSingleton<IOnboarding, RecordingOnboarding>();
            builder.Services.AddSingleton(_archiver);
        });
        using var admin = host.Client(host.CreateKey(AdminRole.SystemAdministrator));

        await AssertProblem(await admin.PostAsync(Route, null), HttpStatusCode.Conflict, "admin.not_initialised");
        Assert.Equal(RecordBodyState.Present, _store.Read(3).Record!.BodyState);
    }

    private static MessageRecord Record(int i)
    {
        var body = Encoding.UTF8.GetBytes($"{{\"patient\":{i}}}");
        return new MessageRecord
        {
            Side = RecordSide.Server,
            Kind = i % 2 == 1 ? RecordKind.Request : RecordKind.Response,
            MessageId = $"m-{i}",
            RequestId = new Guid(i, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
            ClientId = "DEV/ORG/70000002/clinic",
            ServiceId = "DEV/GOV/70000001/hospital/patients",
            At = Start.AddMinutes(i),
            Head = Encoding.UTF8.GetBytes($"head {i}"),
            Signature = Encoding.UTF8.GetBytes($"signature {i}"),
            BodyDigest = SHA512.HashData(body),
            BodyLength = body.Length,
            Body = i % 5 == 0 ? (ReadOnlyMemory<byte>?)null : body,
        };
    }
}
