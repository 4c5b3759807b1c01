using System.Diagnostics.Metrics;
using ExchangeGateway.SecurityServer.Operations;

namespace ExchangeGateway.SecurityServer.Evidence;

/// <summary>
/// Witnessing metrics, on the security server's meter (<see cref="ExchangeMetrics.Meter"/>) so that
/// <c>/metrics</c> shows them: <c>xgw_witness_failures_total{code}</c> and the gauge
/// <c>xgw_witnessed_tree_size</c> (the largest checkpoint the Central Server witnessed).
/// </summary>
public sealed class WitnessingMetrics
{
    /// <summary>Counter: witnessing passes that failed, labelled <c>code</c> (<see cref="WitnessingCodes"/> or the Central Server's refusal code).</summary>
    public const string FailuresTotal = "xgw_witness_failures_total";

    /// <summary>Gauge: the largest tree size the Central Server witnessed for this server.</summary>
    public const string WitnessedTreeSize = "xgw_witnessed_tree_size";

    private readonly Counter<long> _failures;
    private Func<long?>? _witnessedSize;

    /// <summary>Creates the instruments on <paramref name="metrics"/>' meter.</summary>
    public WitnessingMetrics(ExchangeMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        _failures = metrics.Meter.CreateCounter<long>(FailuresTotal, unit: null, description: "Witnessing passes that failed, by code; witness.inconsistent and witness.history_mismatch mean the log does not extend what was witnessed.");
        metrics.Meter.CreateObservableGauge(
            WitnessedTreeSize,
            () => Volatile.Read(ref _witnessedSize)?.Invoke() is { } size ? [new Measurement<long>(size)] : Array.Empty<Measurement<long>>(),
            unit: null,
            description: "The largest message-log tree size the Central Server witnessed.");
    }

    /// <summary>Counts one failed pass.</summary>
    public void Failed(string code) => _failures.Add(1, new KeyValuePair<string, object?>("code", code));

    /// <summary>Feeds <see cref="WitnessedTreeSize"/>; read at each scrape.</summary>
    public void ObserveWitnessedSize(Func<long?> source) => Volatile.Write(ref _witnessedSize, source);
}
