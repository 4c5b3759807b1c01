using System.Diagnostics;

namespace ExchangeGateway.LoadBench.Runner;

/// <summary>
/// CPU time and resident memory of a set of server-side processes, by PID (<see cref="Process.TotalProcessorTime"/>
/// and <see cref="Process.WorkingSet64"/>, which read <c>/proc</c> on Linux). Peak RSS is the largest sum
/// seen while sampling every 100 ms.
/// </summary>
internal sealed class ProcessMeter : IDisposable
{
    private readonly List<(string Name, Process Process)> _processes;
    private CancellationTokenSource? _sampling;
    private Task<long>? _sampler;

    public ProcessMeter(IEnumerable<KeyValuePair<string, int>> processes)
    {
        _processes = [.. processes.DistinctBy(p => p.Value).Select(p => (p.Key, Process.GetProcessById(p.Value)))];
    }

    /// <summary>Each process's CPU time so far (user + system), by name.</summary>
    public Dictionary<string, TimeSpan> CpuByProcess()
    {
        var cpu = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
        foreach (var (name, process) in _processes)
        {
            process.Refresh();
            cpu[name] = process.HasExited ? TimeSpan.Zero : process.TotalProcessorTime;
        }

        return cpu;
    }

    public long Rss()
    {
        long total = 0;
        foreach (var (_, process) in _processes)
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
        foreach (var (_, process) in _processes)
        {
            process.Dispose();
        }
    }
}
