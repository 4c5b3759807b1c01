using ExchangeGateway.LoadBench.Load;

namespace ExchangeGateway.LoadBench.Runner;

/// <summary>One load run of one case and body size: the load client's figures plus the server side's CPU (in all and per process) and memory.</summary>
internal sealed record Measurement(string Case, int Size, int Run, LoadResult Load, IReadOnlyDictionary<string, TimeSpan> ServerCpuByProcess, long PeakRssBytes)
{
    public TimeSpan ServerCpu => ServerCpuByProcess.Values.Aggregate(TimeSpan.Zero, (a, b) => a + b);

    /// <summary>Server-side CPU time per completed exchange, in microseconds; NaN when nothing completed.</summary>
    public double CpuMicrosPerExchange => Load.Completed == 0 ? double.NaN : ServerCpu.TotalMicroseconds / Load.Completed;

    public double CpuMicrosPerExchangeOf(string process) =>
        Load.Completed == 0 || !ServerCpuByProcess.TryGetValue(process, out var cpu) ? double.NaN : cpu.TotalMicroseconds / Load.Completed;
}
