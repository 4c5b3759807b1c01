using System.Diagnostics;
using ExchangeGateway.MessageLog.Evidence;
using ExchangeGateway.MessageLog.Storage;
using ExchangeGateway.MessageLog.Tests.Support;
using Xunit.Abstractions;

namespace ExchangeGateway.MessageLog.Tests.Evidence;

/// <summary>
/// Export and offline verification of 50 000 real records (MessageLog/README.md quotes the output): 25 000
/// exchanges, heads batch-signed 256 at a time, 1 KiB request and 512 B response bodies. Asserts behaviour
/// only; the rate is printed (this machine is shared).
/// </summary>
public sealed class LogExportThroughputTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Exchanges = 25_000;
    private ExchangeLogs _logs = null!;

    public async Task InitializeAsync() => _logs = await ExchangeLogs.CreateAsync();

    public async Task DisposeAsync() => await _logs.DisposeAsync();

    [Fact]
    public async Task ExportAndVerify_FiftyThousandRecords_VerifiesAndRateReported()
    {
        // The log is written with synchronous = normal: the appends are set-up here, not what is measured.
        var provider = _logs.Open("ss1", provider: true, MessageLogSynchronous.Normal);
        var build = Stopwatch.StartNew();
        await _logs.ExchangeAsync(null, provider, 1, Exchanges / 2, batch: 256, bodySize: 1024);
        var middle = await provider.CheckpointAsync();
        await _logs.ExchangeAsync(null, provider, 1 + (Exchanges / 2), Exchanges / 2, batch: 256, bodySize: 1024);
        var end = await provider.CheckpointAsync();
        build.Stop();
        Assert.Equal(2L * Exchanges, end);
        var file = _logs.Context.Directory.File("export.xgwl");

        var export = Stopwatch.StartNew();
        LogExportWriteResult written;
        await using (var stream = File.Create(file))
        {
            written = await LogExportWriter.WriteAsync(provider.DatabasePath, 0, end, _logs.Trust.Evidence(), [_logs.Witness(provider, middle)], stream, new LogExportWriterOptions { Time = _logs.Context.Time });
        }

        export.Stop();
        Assert.True(written.IsSuccess, written.ToString());

        var verify = Stopwatch.StartNew();
        EvidenceReport report;
        await using (var stream = File.OpenRead(file))
        {
            report = LogExportVerifier.Verify(stream, null, [], new LogExportVerifierOptions { Time = _logs.Context.Time });
        }

        verify.Stop();
        Assert.True(report.Passed, report.FirstFailure?.ToString());
        Assert.Contains(report.Checks, c => c.Name == $"witness.{middle}" && c.Passed);
        output.WriteLine(
            $"{end} records ({written.Bytes / 1_000_000.0:F1} MB): export {export.Elapsed.TotalSeconds:F2} s ({end / export.Elapsed.TotalSeconds:F0} records/s), "
            + $"verify {verify.Elapsed.TotalSeconds:F2} s ({end / verify.Elapsed.TotalSeconds:F0} records/s, {2 * Exchanges / 256} batch signatures); log built in {build.Elapsed.TotalSeconds:F1} s");
    }
}
