using System.Diagnostics;

namespace ExchangeGateway.LoadBench.Runner;

/// <summary>
/// CPU time and resident memory of a set of server-side processes, by PID (<see cref="Process.TotalProcessorTime"/>
/// and <see cref="Process.WorkingSet64"/>, which read <c>/proc</c> on Linux). Peak RSS is the largest sum
/// seen while sampling every 100 ms.
/// </summary>
internal sealed class ProcessMeter : IDisposable
{
    private readonly List<Process> _processes;
    private CancellationTokenSource? _sampling;
    private Task<long>? _sampler;

    public ProcessMeter(IEnumerable<int> pids)
    {
        _processes = [.. pids.Distinct().Select(Process.GetProcessById)];
    }

    public TimeSpan TotalCpu()
    {
        var total = TimeSpan.Zero;
        foreach (var process in _processes)
        {
            process.Refresh();
            if (!process.HasExited)
            {
                total += process.TotalProcessorTime;
            }
        }

        return total;
    }

    public long Rss()
    {
        long total = 0;
        foreach (var process in _processes)
        {
            process.Refresh();
            if (!process.HasExited)
            {
                total += process.WorkingSet64;
            }
        }

        return total;
    }

    public void StartSampling()
    {
        _sampling = new CancellationTokenSource();
        var token = _sampling.Token;
        _sampler = Task.Run(async () =>
        {
            var peak = Rss();
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
            try
            {
                while (await timer.WaitForNextTickAsync(token))
                {
                    peak = Math.Max(peak, Rss());
                }
            }
            catch (OperationCanceledException)
            {
                // Sampling stopped.
            }

            return Math.Max(peak, Rss());
        });
    }

    /// <summary>Stops sampling; returns the peak summed RSS in bytes.</summary>
    public async Task<long> StopSamplingAsync()
    {
        if (_sampling is null || _sampler is null)
        {
            return Rss();
        }

        await _sampling.CancelAsync();
        var peak = await _sampler;
        _sampling.Dispose();
        _sampling = null;
        return peak;
    }

    public void Dispose()
    {
        _sampling?.Dispose();
        foreach (var process in _processes)
        {
            process.Dispose();
        }
    }
}
