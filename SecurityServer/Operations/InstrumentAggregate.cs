using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace ExchangeGateway.SecurityServer.Operations;

/// <summary>All series of one instrument, keyed by label set, with a cap on how many there may be.</summary>
internal sealed class InstrumentAggregate
{
    private readonly ConcurrentDictionary<SeriesKey, MetricSeries> _series = new();
    private readonly double[]? _bounds;
    private readonly int _maxSeries;

    public InstrumentAggregate(Instrument instrument, MetricKind kind, bool isObservable, double[]? bounds, int maxSeries)
    {
        Instrument = instrument;
        Kind = kind;
        IsObservable = isObservable;
        _bounds = bounds;
        _maxSeries = maxSeries;
    }

    public Instrument Instrument { get; }

    public MetricKind Kind { get; }

    /// <summary>True for instruments whose values come from callbacks at collection time.</summary>
    public bool IsObservable { get; }

    public IEnumerable<KeyValuePair<SeriesKey, MetricSeries>> Series => _series;

    public void Record(long value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var series = Find(tags);
        if (Kind == MetricKind.Histogram)
        {
            series.Observe(value);
        }
        else if (IsObservable || Kind == MetricKind.Gauge)
        {
            // Observable instruments report their current total or level, not an increment.
            series.Set(value);
        }
        else
        {
            series.Add(value);
        }
    }

    public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (double.IsNaN(value))
        {
            return;
        }

        var series = Find(tags);
        if (Kind == MetricKind.Histogram)
        {
            series.Observe(value);
        }
        else if (IsObservable || Kind == MetricKind.Gauge)
        {
            series.Set(value);
        }
        else
        {
            series.Add(value);
        }
    }

    /// <summary>Forgets observed gauge values so a source that stopped reporting disappears from the output.</summary>
    public void ClearObserved()
    {
        foreach (var series in _series.Values)
        {
            series.Clear();
        }
    }

    private MetricSeries Find(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var key = SeriesKey.From(tags);
        if (_series.TryGetValue(key, out var series))
        {
            return series;
        }

        // Past the cap, new label sets share one overflow series instead of growing memory.
        if (_series.Count >= _maxSeries)
        {
            key = SeriesKey.Overflow;
        }

        return _series.GetOrAdd(key, static (_, bounds) => new MetricSeries(bounds), _bounds);
    }
}
