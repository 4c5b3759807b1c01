namespace ExchangeGateway.SecurityServer.Operations;

/// <summary>How a metric is aggregated and which Prometheus type it is shown as.</summary>
internal enum MetricKind
{
    /// <summary>Counters (monotonic sums): <c>counter</c>.</summary>
    Counter,

    /// <summary>Gauges and up-down counters: <c>gauge</c>.</summary>
    Gauge,

    /// <summary>Histograms: <c>histogram</c> with <c>_bucket</c>, <c>_sum</c> and <c>_count</c>.</summary>
    Histogram,
}
