using System.Diagnostics;
using System.Globalization;
using ExchangeGateway.MessageLog.Tests.Support;
using Xunit.Abstractions;

namespace ExchangeGateway.MessageLog.Tests.Storage;

/// <summary>
/// Reports the append rate with 64 concurrent callers (see the test output). Bounded in count; asserts
/// behaviour only: speed is the bench's business (PERFORMANCE.md), and this machine is shared.
/// </summary>
public sealed class AppendThroughputTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly LogTestContext _context = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _context.DisposeAsync();

    [Fact]
    public async Task AppendAsync_64CallersRealisticRecords_AllCommittedAndRateReported()
    {
        const int callers = 64;
        const int total = 20_000;
        var store = _context.OpenStore();
        var records = Enumerable.Range(0, 256).Select(i => SampleRecords.Request(i, _context.Time.GetUtcNow())).ToArray();
        var next = 0;
        var stopwatch = Stopwatch.StartNew();

        await Task.WhenAll(Enumerable.Range(0, callers).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) <= total)
            {
                var result = await store.AppendAsync(records[i % records.Length]);
                Assert.True(result.IsSuccess, result.ToString());
            }
        })));

        stopwatch.Stop();
        Assert.Equal(total, store.Count);
        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{total} records, {callers} callers: {total / stopwatch.Elapsed.TotalSeconds:F0} records/s, {(double)total / store.CommitCount:F1} records per commit"));
    }
}
