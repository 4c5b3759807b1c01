namespace ExchangeGateway.LoadBench.Load;

/// <summary>What one load run measured (latencies in microseconds), as the load process reports it on its last line.</summary>
internal sealed record LoadResult(
    long Completed,
    long ErrorCount,
    IReadOnlyDictionary<string, long> Errors,
    double Seconds,
    double ExchangesPerSecond,
    long P50,
    long P90,
    long P99,
    long P999,
    long Max,
    double Mean,
    double ClientCpuMilliseconds);
