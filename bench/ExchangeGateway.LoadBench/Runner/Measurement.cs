using ExchangeGateway.LoadBench.Load;

namespace ExchangeGateway.LoadBench.Runner;

/// <summary>One load run of one case and body size: the load client's figures plus the server side's CPU and memory.</summary>
internal sealed record Measurement(char Case, int Size, int Run, LoadResult Load, TimeSpan ServerCpu, long PeakRssBytes)
{
    /// <summary>Server-side CPU time per completed exchange, in microseconds; NaN when nothing completed.</summary>
    public double CpuMicrosPerExchange => Load.Completed == 0 ? double.NaN : ServerCpu.TotalMicroseconds / Load.Completed;
}
