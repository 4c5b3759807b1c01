using System.Diagnostics.Metrics;

namespace ExchangeGateway.CentralServer.Witnessing;

/// <summary>
/// Witnessing metrics on <c>System.Diagnostics.Metrics</c> (meter <see cref="MeterName"/>), named as Prometheus
/// would show them. The Central Server has no metrics endpoint yet; any <c>MeterListener</c> or exporter the host
/// adds sees them.
/// </summary>
public sealed class WitnessMetrics
{
    /// <summary>The meter name.</summary>
    public const string MeterName = "ExchangeGateway.CentralServer";

    /// <summary>Counter: checkpoints accepted and a statement signed.</summary>
    public const string AcceptedTotal = "xgw_witness_accepted_total";

    /// <summary>Counter: submissions refused, labelled <c>code</c> (<c>witness.inconsistent</c> means a rewritten log).</summary>
    public const string RefusalsTotal = "xgw_witness_refusals_total";

    private readonly Counter<long> _accepted;
    private readonly Counter<long> _refusals;

    /// <summary>Creates the instruments on a meter from the host's <paramref name="meterFactory"/> (disposed with it).</summary>
    public WitnessMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _accepted = meter.CreateCounter<long>(AcceptedTotal, unit: null, description: "Message-log checkpoints witnessed (statement signed).");
        _refusals = meter.CreateCounter<long>(RefusalsTotal, unit: null, description: "Checkpoint submissions refused, by code.");
    }

    /// <summary>Counts one submission: accepted when <paramref name="refusalCode"/> is null.</summary>
    public void Submitted(string? refusalCode)
    {
        if (refusalCode is null)
        {
            _accepted.Add(1);
        }
        else
        {
            _refusals.Add(1, new KeyValuePair<string, object?>("code", refusalCode));
        }
    }
}
