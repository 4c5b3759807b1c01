using System.Diagnostics;
using ExchangeGateway.MessageLog.Archiving;
using ExchangeGateway.MessageLog.Records;
using ExchangeGateway.MessageLog.Storage;
using ExchangeGateway.MessageLog.Tests.Support;
using Xunit.Abstractions;

namespace ExchangeGateway.MessageLog.Tests.Archiving;

/// <summary>
/// One archive pass over 50 000 realistic records (MessageLog/README.md "Archives" quotes the output).
/// Prints the time; asserts only what was done, never how fast (a shared 2-core machine).
/// </summary>
public sealed class ArchiveScaleTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Records = 50_000;
    private ArchiveLog _log = null!;

    public async Task InitializeAsync()
    {
        _log = await ArchiveLog.CreateAsync(o => o with { Synchronous = MessageLogSynchronous.Normal });
        var pending = new List<Task<AppendResult>>(1000);
        for (var i = 1; i <= Records; i++)
        {
            var at = ArchiveLog.Start.AddMilliseconds(i);
            pending.Add(_log.Store.AppendAsync(i % 2 == 1 ? SampleRecords.Request(i, at) : SampleRecords.Response(i - 1, at)).AsTask());
            if (pending.Count == 1000)
            {
                Assert.All(await Task.WhenAll(pending), r => Assert.True(r.IsSuccess, r.ToString()));
                pending.Clear();
            }
        }

        _log.Context.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(Records, (await _log.Integrator.IntegrateOnceAsync()).StampedCheckpoint);
        _log.Context.Time.Advance(TimeSpan.FromDays(2));
    }

    public async Task DisposeAsync() => await _log.DisposeAsync();

    [Fact]
    public async Task RunOnce_FiftyThousandRecords_ArchivedIn25FilesOfTheDefaultSizeAndVerified()
    {
        using var archiver = _log.Archiver(o => o with { ArchiveAfter = TimeSpan.FromDays(1) });

        // Appends go on during the pass: how long does one wait behind an archive's transaction?
        using var stop = new CancellationTokenSource();
        var worstAppend = TimeSpan.Zero;
        var appends = 0;
        var appender = Task.Run(async () =>
        {
            for (var i = Records + 1; !stop.IsCancellationRequested && i <= Records + 100_000; i++)
            {
                var started = Stopwatch.GetTimestamp();
                var appended = await _log.Store.AppendAsync(SampleRecords.Request(i, _log.Context.Time.GetUtcNow()));
                Assert.True(appended.IsSuccess, appended.ToString());
                var waited = Stopwatch.GetElapsedTime(started);
                worstAppend = waited > worstAppend ? waited : worstAppend;
                appends++;
                await Task.Delay(5);
            }
        });

        var pass = Stopwatch.StartNew();
        var result = await archiver.RunOnceAsync(CancellationToken.None);
        pass.Stop();
        await stop.CancelAsync();
        await appender;

        Assert.True(result.IsSuccess, result.Failure);
        Assert.Equal(Records, result.RecordsArchived);
        Assert.Equal(25, result.Archives.Count);
        var bytes = result.Archives.Sum(a => a.Bytes);

        var verify = Stopwatch.StartNew();
        var verified = ArchiveVerifier.Verify(_log.ArchiveDirectory, _log.VerifierOptions());
        verify.Stop();
        Assert.True(verified.IsValid, verified.ToString());
        Assert.Equal(Records, verified.Records);

        var read = Stopwatch.StartNew();
        var last = _log.Store.Read(2_000); // the last record of the first archive: the longest scan
        read.Stop();
        Assert.Equal(RecordBodyState.Present, last.Record!.BodyState);

        output.WriteLine(
            $"archive pass: {Records} records in {pass.Elapsed.TotalSeconds:F2} s ({Records / pass.Elapsed.TotalSeconds:F0} records/s), "
            + $"{result.Archives.Count} archives, {bytes / (1024.0 * 1024):F1} MiB; offline verification {verify.Elapsed.TotalSeconds:F2} s; "
            + $"reading the last record of a 2 000-record archive {read.Elapsed.TotalMilliseconds:F0} ms; "
            + $"{appends} appends during the pass waited at most {worstAppend.TotalMilliseconds:F0} ms");
    }
}
