using System.Security.Cryptography;
using ExchangeGateway.Common.Crypto.Cms;
using ExchangeGateway.Common.Crypto.Merkle;
using ExchangeGateway.Common.Crypto.TimeStamping;
using ExchangeGateway.Common.Crypto.X509;
using ExchangeGateway.MessageLog.Integration;
using ExchangeGateway.MessageLog.Records;
using ExchangeGateway.MessageLog.Storage;
using ExchangeGateway.MessageLog.Tests.Support;

namespace ExchangeGateway.MessageLog.Tests.Integration;

public sealed class LogIntegratorTests : IAsyncLifetime
{
    private readonly LogTestContext _context = new();

    public Task InitializeAsync() => _context.StartTsaAsync();

    public async Task DisposeAsync() => await _context.DisposeAsync();

    [Fact]
    public async Task IntegrateOnceAsync_RealTsa_CheckpointSignedAndStampedWithOneRequest()
    {
        var store = _context.OpenStore();
        var integrator = _context.Integrator(store);
        var tree = new MerkleTree();
        for (var i = 1; i <= 10; i++)
        {
            var record = SampleRecords.Request(i, _context.Time.GetUtcNow());
            var result = await store.AppendAsync(record);
            tree.AppendLeafHash(RecordEncoding.LeafHash(result.Sequence, record));
        }

        var pass = await integrator.IntegrateOnceAsync();

        Assert.Null(pass.Failure);
        Assert.Equal(10, pass.TreeSize);
        Assert.Equal(10, pass.CreatedCheckpoint);
        Assert.Equal(10, pass.StampedCheckpoint);
        Assert.Equal(1, _context.Tsa!.Requests);
        Assert.Equal(tree.RootHash, integrator.RootHash);

        var checkpoint = store.GetCheckpoint(10)!;
        var content = Checkpoint.Parse(checkpoint.Content.Span);
        Assert.True(content.Success, content.Message);
        Assert.Equal(new Checkpoint(LogTestContext.ServerId, 10, tree.RootHash, _context.Time.GetUtcNow()), content.Value);

        var signature = new CmsSignatureVerifier(_context.Pki.CreateValidator()).Verify(checkpoint.Signature.Span, checkpoint.Content.Span, _context.Time.GetUtcNow());
        Assert.True(signature.IsValid, signature.ToString());

        var stamp = new TimeStampVerifier(_context.Time).Verify(
            checkpoint.Token!.Value,
            SHA256.HashData(checkpoint.Signature.Span),
            HashAlgorithmName.SHA256,
            new TimeStampTrust(new CertificateValidator([_context.PublicTsaCertificate]), [_context.PublicTsaCertificate]));
        Assert.True(stamp.IsValid, stamp.ToString());
        Assert.Equal(checkpoint.StampedAt, LogTime.Truncate(stamp.Value.GenTime));
        Assert.Equal(_context.Tsa.Url.ToString(), checkpoint.TsaUrl);

        Assert.Equal(0, store.Backlog);
        Assert.Null(store.OldestUnstampedAt);
        Assert.Equal(new CheckpointStatus(10, _context.Time.GetUtcNow(), checkpoint.StampedAt), store.LastStampedCheckpoint);
    }

    [Fact]
    public async Task IntegrateOnceAsync_NothingNew_NoCheckpointNoRequest()
    {
        var store = _context.OpenStore();
        var integrator = _context.Integrator(store);
        await store.AppendAsync(SampleRecords.Request(1, _context.Time.GetUtcNow()));
        await integrator.IntegrateOnceAsync();

        var second = await integrator.IntegrateOnceAsync();

        Assert.Equal(new IntegrationResult(1, null, null, null), second);
        Assert.Equal(1, _context.Tsa!.Requests);
    }

    [Fact]
    public async Task AppendAsync_TsaDownPastPeriod_RequestsRefusedResponsesWrittenThenBacklogStampedAndAccepted()
    {
        _context.Period = TimeSpan.FromSeconds(5);
        var store = _context.OpenStore();
        var integrator = _context.Integrator(store);
        var tsa = _context.Tsa!;
        Assert.True((await store.AppendAsync(SampleRecords.Request(1, _context.Time.GetUtcNow()))).IsSuccess);
        Assert.Null((await integrator.IntegrateOnceAsync()).Failure);

        // The TSA goes down: records are still accepted within the period.
        tsa.Down = true;
        var outageStart = _context.Time.GetUtcNow();
        Assert.True((await store.AppendAsync(SampleRecords.Request(2, _context.Time.GetUtcNow()))).IsSuccess);
        var failed = await integrator.IntegrateOnceAsync();
        Assert.NotNull(failed.Failure);
        Assert.Contains("503", failed.Failure, StringComparison.Ordinal);
        _context.Time.Advance(TimeSpan.FromSeconds(3));
        Assert.True((await store.AppendAsync(SampleRecords.Request(3, _context.Time.GetUtcNow()))).IsSuccess);
        Assert.True(store.IsWithinPeriod(_context.Time.GetUtcNow()));
        Assert.NotNull((await integrator.IntegrateOnceAsync()).Failure);

        // Past the period: new requests are refused and not written; responses still are.
        _context.Time.Advance(TimeSpan.FromSeconds(3));
        var refused = await store.AppendAsync(SampleRecords.Request(4, _context.Time.GetUtcNow()));
        var response = await store.AppendAsync(SampleRecords.Response(3, _context.Time.GetUtcNow()));

        Assert.Equal(LogFailure.TimestamperFailed, refused.Failure);
        Assert.True(response.IsSuccess, response.ToString());
        Assert.Equal(4, response.Sequence);
        Assert.Equal(4, store.Count);
        Assert.Equal(3, store.Backlog);
        Assert.Equal(outageStart, store.OldestUnstampedAt);
        var status = store.GetTimeStampingStatus();
        Assert.False(status.IsWithinPeriod);
        Assert.Equal(1, status.LastStampedCheckpoint!.TreeSize);
        Assert.True(status.LastCheckpoint!.TreeSize > 1);
        Assert.Null(status.LastCheckpoint.StampedAt);

        // The TSA comes back: one stamp over the newest checkpoint covers the whole backlog.
        tsa.Down = false;
        var requestsBefore = tsa.Requests;
        var recovered = await integrator.IntegrateOnceAsync();

        Assert.Null(recovered.Failure);
        Assert.Equal(4, recovered.StampedCheckpoint);
        Assert.Equal(requestsBefore + 1, tsa.Requests);
        Assert.Equal(0, store.Backlog);
        Assert.True(store.IsWithinPeriod(_context.Time.GetUtcNow()));
        var accepted = await store.AppendAsync(SampleRecords.Request(5, _context.Time.GetUtcNow()));
        Assert.True(accepted.IsSuccess, accepted.ToString());
        Assert.Equal(5, accepted.Sequence);
    }

    [Fact]
    public async Task IntegrateOnceAsync_FirstTsaDown_StampedBySecond()
    {
        await using var down = await SwitchableTsa.StartAsync(new TrustServices.Tsa.TimeStampAuthority(_context.Pki.Tsa, _context.Time));
        down.Down = true;
        var store = _context.OpenStore();
        var integrator = _context.Integrator(store, tsas: () => [new TsaEndpoint(down.Url, _context.PublicTsaCertificate), .. _context.Tsas()]);
        await store.AppendAsync(SampleRecords.Request(1, _context.Time.GetUtcNow()));

        var pass = await integrator.IntegrateOnceAsync();

        Assert.Null(pass.Failure);
        Assert.Equal(1, down.Requests);
        Assert.Equal(_context.Tsa!.Url.ToString(), store.GetCheckpoint(1)!.TsaUrl);
    }

    [Fact]
    public async Task IntegrateOnceAsync_TokenFromUnapprovedTsa_NotStored()
    {
        using var otherPki = Testing.Pki.TestPki.Create(_context.Time, "Other");
        var store = _context.OpenStore();

        // Global configuration approves another TSA certificate than the one that answers.
        var integrator = _context.Integrator(store, tsas: () => [new TsaEndpoint(_context.Tsa!.Url, otherPki.Tsa)]);
        await store.AppendAsync(SampleRecords.Request(1, _context.Time.GetUtcNow()));

        var pass = await integrator.IntegrateOnceAsync();

        Assert.NotNull(pass.Failure);
        Assert.Null(store.GetCheckpoint(1)!.Token);
        Assert.Equal(1, store.Backlog);
    }

    [Fact]
    public async Task IntegrateOnceAsync_NoApprovedTsa_FailsAndKeepsSignedCheckpoint()
    {
        var store = _context.OpenStore();
        var integrator = _context.Integrator(store, tsas: () => []);
        await store.AppendAsync(SampleRecords.Request(1, _context.Time.GetUtcNow()));

        var pass = await integrator.IntegrateOnceAsync();

        Assert.Equal(1, pass.CreatedCheckpoint);
        Assert.Contains("no approved", pass.Failure, StringComparison.Ordinal);
        Assert.Equal(1, store.LastCheckpoint!.TreeSize);
        Assert.Null(store.LastStampedCheckpoint);
    }

    [Fact]
    public async Task IntegrateOnceAsync_SignerThrows_FailureThenRetrySucceeds()
    {
        var store = _context.OpenStore();
        var fail = true;
        var integrator = _context.Integrator(store, sign: (content, ct) => fail ? throw new CryptographicException("token removed") : _context.SignAsync(content, ct));
        await store.AppendAsync(SampleRecords.Request(1, _context.Time.GetUtcNow()));

        var failed = await integrator.IntegrateOnceAsync();
        var afterFailure = store.GetLatestCheckpoint();
        fail = false;
        var retried = await integrator.IntegrateOnceAsync();

        Assert.Contains("token removed", failed.Failure, StringComparison.Ordinal);
        Assert.Null(afterFailure);
        Assert.Null(retried.Failure);
        Assert.Equal(1, retried.StampedCheckpoint);
    }

    [Fact]
    public async Task IntegrateOnceAsync_NewIntegratorAfterRestart_ResumesFromStoredFrontier()
    {
        var tree = new MerkleTree();
        await using (var store = _context.OpenStore())
        {
            var integrator = _context.Integrator(store);
            for (var i = 1; i <= 13; i++)
            {
                var record = SampleRecords.Request(i, _context.Time.GetUtcNow());
                tree.AppendLeafHash(RecordEncoding.LeafHash((await store.AppendAsync(record)).Sequence, record));
                if (i % 5 == 0)
                {
                    _context.Time.Advance(TimeSpan.FromSeconds(1));
                    Assert.Null((await integrator.IntegrateOnceAsync()).Failure);
                }
            }
        }

        await using var reopened = _context.OpenStore();
        Assert.Equal(3, reopened.Backlog);
        var resumed = _context.Integrator(reopened);
        var record14 = SampleRecords.Request(14, _context.Time.GetUtcNow());
        tree.AppendLeafHash(RecordEncoding.LeafHash((await reopened.AppendAsync(record14)).Sequence, record14));

        var pass = await resumed.IntegrateOnceAsync();

        Assert.Null(pass.Failure);
        Assert.Equal(14, pass.StampedCheckpoint);
        Assert.Equal(tree.RootHash, resumed.RootHash);
        Assert.Equal(tree.RootHash, reopened.GetCheckpoint(14)!.RootHash);
        Assert.Equal(tree.RootHashAt(10), reopened.GetCheckpoint(10)!.RootHash);
    }

    [Fact]
    public async Task IntegrateOnceAsync_UnstampedCheckpointAfterRestart_StampedWithoutNewCheckpoint()
    {
        await using (var store = _context.OpenStore())
        {
            _context.Tsa!.Down = true;
            await store.AppendAsync(SampleRecords.Request(1, _context.Time.GetUtcNow()));
            Assert.NotNull((await _context.Integrator(store).IntegrateOnceAsync()).Failure);
        }

        _context.Tsa.Down = false;
        await using var reopened = _context.OpenStore();
        Assert.Equal(1, reopened.Backlog);

        var pass = await _context.Integrator(reopened).IntegrateOnceAsync();

        Assert.Null(pass.CreatedCheckpoint);
        Assert.Equal(1, pass.StampedCheckpoint);
        Assert.Equal(0, reopened.Backlog);
    }

    [Fact]
    public async Task IntegrateOnceAsync_StoredFrontierTampered_Throws()
    {
        await using (var store = _context.OpenStore())
        {
            await store.AppendAsync(SampleRecords.Request(1, _context.Time.GetUtcNow()));
            await _context.Integrator(store).IntegrateOnceAsync();
        }

        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_context.DatabasePath};Pooling=False"))
        {
            connection.Open();
            using var cmd = connection.CreateCommand();
            cmd.CommandText = "UPDATE checkpoint SET frontier = zeroblob(32);";
            cmd.ExecuteNonQuery();
        }

        await using var reopened = _context.OpenStore();

        await Assert.ThrowsAsync<InvalidDataException>(() => _context.Integrator(reopened).IntegrateOnceAsync());
    }

    [Fact]
    public async Task RunAsync_RealClock_StampsWithinBoundedTimeAndStopsOnCancel()
    {
        // The TSA and the PKI run on a manual clock set to now, so the real clock never sees the future.
        await using var context = new LogTestContext(DateTimeOffset.UtcNow);
        await context.StartTsaAsync();
        var store = context.OpenStore();
        using var integrator = new LogIntegrator(
            store,
            new LogIntegratorOptions { ServerId = Common.Identifiers.SecurityServerId.Parse(LogTestContext.ServerId), CheckpointInterval = TimeSpan.FromMilliseconds(20) },
            context.SignAsync,
            context.Tsas,
            TimeProvider.System,
            Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var run = integrator.RunAsync(cts.Token);

        for (var i = 0; i < 50; i++)
        {
            await store.AppendAsync(SampleRecords.Request(i, context.Time.GetUtcNow()));
        }

        while (store.Backlog > 0 && !cts.IsCancellationRequested)
        {
            await Task.Delay(10);
        }

        await cts.CancelAsync();
        await run;
        Assert.Equal(0, store.Backlog);
        Assert.Equal(50, store.LastStampedCheckpoint!.TreeSize);
    }
}
