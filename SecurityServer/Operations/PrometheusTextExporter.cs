using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace ExchangeGateway.SecurityServer.Operations;

/// <summary>
/// Listens to one <see cref="Meter"/> with a <see cref="MeterListener"/>, aggregates in memory, and renders
/// the Prometheus text exposition format 0.0.4 for <c>GET /metrics</c>. Recording costs a dictionary lookup
/// and an interlocked add per measurement, with no lock and no allocation for up to three labels; only
/// rendering takes a lock (one scrape at a time).
/// </summary>
/// <remarks>
/// Counters render as <c>counter</c> with their running sum; histograms as <c>histogram</c> with cumulative
/// <c>_bucket{le=…}</c> lines ending in <c>+Inf</c>, then <c>_sum</c> and <c>_count</c> (bucket bounds from the
/// instrument's advice, else Prometheus' defaults); gauges and observable instruments render their latest
/// value, collected at the scrape. Each instrument keeps at most a bounded number of label sets; more fall
/// into one series labelled <c>overflow="true"</c>. Only the given meter instance is listened to, so hosts in
/// one process (tests) do not see each other's measurements.
/// </remarks>
public sealed class PrometheusTextExporter : IDisposable
{
    /// <summary>The media type of the rendered text.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>The default cap on label sets per instrument.</summary>
    public const int DefaultMaxSeriesPerInstrument = 1000;

    private static readonly double[] DefaultBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly Meter _meter;
    private readonly int _maxSeries;
    private readonly MeterListener _listener;
    private readonly ConcurrentDictionary<Instrument, InstrumentAggregate> _instruments = new();
    private readonly Lock _collect = new();

    /// <summary>Starts listening to <paramref name="meter"/>; measurements before this are not seen.</summary>
    public PrometheusTextExporter(Meter meter, int maxSeriesPerInstrument = DefaultMaxSeriesPerInstrument)
    {
        ArgumentNullException.ThrowIfNull(meter);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSeriesPerInstrument, 1);
        _meter = meter;
        _maxSeries = maxSeriesPerInstrument;
        _listener = new MeterListener
        {
            InstrumentPublished = OnInstrumentPublished,
            MeasurementsCompleted = (instrument, _) => _instruments.TryRemove(instrument, out InstrumentAggregate? _),
        };
        _listener.SetMeasurementEventCallback<long>(static (_, value, tags, state) => ((InstrumentAggregate)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<int>(static (_, value, tags, state) => ((InstrumentAggregate)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<double>(static (_, value, tags, state) => ((InstrumentAggregate)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<float>(static (_, value, tags, state) => ((InstrumentAggregate)state!).Record(value, tags));
        _listener.Start();
    }

    /// <summary>Collects observable instruments and renders every metric as Prometheus text.</summary>
    public string Render()
    {
        var text = new StringBuilder(4096);
        lock (_collect)
        {
            foreach (var aggregate in _instruments.Values)
            {
                if (aggregate.IsObservable)
                {
                    aggregate.ClearObserved();
                }
            }

            _listener.RecordObservableInstruments();
            foreach (var aggregate in _instruments.Values.OrderBy(a => a.Instrument.Name, StringComparer.Ordinal))
            {
                Write(text, aggregate);
            }
        }

        return text.ToString();
    }

    /// <inheritdoc />
    public void Dispose() => _listener.Dispose();

    /// <summary>Escapes a label value: backslash, double quote and line feed (format 0.0.4).</summary>
    public static string EscapeLabelValue(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
    }

    /// <summary>Formats a sample value or bound: shortest round-trip form, <c>+Inf</c>, <c>-Inf</c>, <c>NaN</c>.</summary>
    public static string FormatValue(double value) =>
        double.IsPositiveInfinity(value) ? "+Inf"
        : double.IsNegativeInfinity(value) ? "-Inf"
        : double.IsNaN(value) ? "NaN"
        : value.ToString("R", CultureInfo.InvariantCulture);

    private void OnInstrumentPublished(Instrument instrument, MeterListener listener)
    {
        if (!ReferenceEquals(instrument.Meter, _meter))
        {
            return;
        }

        MetricKind kind;
        double[]? bounds = null;
        switch (instrument)
        {
            case Counter<long> or Counter<int> or Counter<double> or Counter<float>:
            case ObservableCounter<long> or ObservableCounter<int> or ObservableCounter<double> or ObservableCounter<float>:
                kind = MetricKind.Counter;
                break;
            case Histogram<double> h:
                kind = MetricKind.Histogram;
                bounds = Bounds(h.Advice?.HistogramBucketBoundaries);
                break;
            case Histogram<float> h:
                kind = MetricKind.Histogram;
                bounds = Bounds(h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b));
                break;
            case Histogram<long> h:
                kind = MetricKind.Histogram;
                bounds = Bounds(h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b));
                break;
            case Histogram<int> h:
                kind = MetricKind.Histogram;
                bounds = Bounds(h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b));
                break;
            case Gauge<long> or Gauge<int> or Gauge<double> or Gauge<float>:
            case ObservableGauge<long> or ObservableGauge<int> or ObservableGauge<double> or ObservableGauge<float>:
            case ObservableUpDownCounter<long> or ObservableUpDownCounter<int> or ObservableUpDownCounter<double> or ObservableUpDownCounter<float>:
                kind = MetricKind.Gauge;
                break;
            default:
                // Up-down counters would need delta sums shown as gauges; the gateway has none.
                return;
        }

        var aggregate = new InstrumentAggregate(instrument, kind, instrument.IsObservable, bounds, _maxSeries);
        _instruments[instrument] = aggregate;
        listener.EnableMeasurementEvents(instrument, aggregate);
    }

    private static double[] Bounds(IEnumerable<double>? advised)
    {
        var bounds = advised?.Where(b => !double.IsNaN(b) && !double.IsInfinity(b)).Distinct().Order().ToArray();
        return bounds is { Length: > 0 } ? bounds : DefaultBuckets;
    }

    private static void Write(StringBuilder text, InstrumentAggregate aggregate)
    {
        var name = MetricName(aggregate.Instrument.Name);
        var help = aggregate.Instrument.Description ?? name;
        text.Append("# HELP ").Append(name).Append(' ').Append(EscapeHelp(help)).Append('\n');
        text.Append("# TYPE ").Append(name).Append(' ').Append(aggregate.Kind switch
        {
            MetricKind.Counter => "counter",
            MetricKind.Histogram => "histogram",
            _ => "gauge",
        }).Append('\n');

        var series = aggregate.Series
            .Select(s => (Labels: s.Key.Labels().Select(l => (Name: LabelName(l.Name), l.Value)).ToArray(), Series: s.Value))
            .Select(s => (s.Labels, Text: LabelText(s.Labels), s.Series))
            .OrderBy(s => s.Text, StringComparer.Ordinal);
        foreach (var (labels, labelText, value) in series)
        {
            switch (aggregate.Kind)
            {
                case MetricKind.Histogram:
                    WriteHistogram(text, name, labels, labelText, value);
                    break;
                default:
                    var sample = aggregate.IsObservable || aggregate.Kind == MetricKind.Gauge ? value.Last : value.Sum;
                    if (sample is { } v)
                    {
                        text.Append(name).Append(labelText).Append(' ').Append(FormatValue(v)).Append('\n');
                    }

                    break;
            }
        }
    }

    private static void WriteHistogram(StringBuilder text, string name, (string Name, string Value)[] labels, string labelText, MetricSeries series)
    {
        var counts = series.BucketCounts();
        var bounds = series.Bounds;
        long cumulative = 0;
        for (var i = 0; i < counts.Length; i++)
        {
            cumulative += counts[i];
            var le = i < bounds.Count ? FormatValue(bounds[i]) : "+Inf";
            text.Append(name).Append("_bucket").Append(LabelText([.. labels, ("le", le)])).Append(' ')
                .Append(cumulative.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        // The count is the +Inf bucket, so the two always agree even while observations arrive.
        text.Append(name).Append("_sum").Append(labelText).Append(' ').Append(FormatValue(series.Sum)).Append('\n');
        text.Append(name).Append("_count").Append(labelText).Append(' ').Append(cumulative.ToString(CultureInfo.InvariantCulture)).Append('\n');
    }

    private static string LabelText((string Name, string Value)[] labels)
    {
        if (labels.Length == 0)
        {
            return string.Empty;
        }

        var text = new StringBuilder("{");
        for (var i = 0; i < labels.Length; i++)
        {
            if (i > 0)
            {
                text.Append(',');
            }

            text.Append(labels[i].Name).Append("=\"").Append(EscapeLabelValue(labels[i].Value)).Append('"');
        }

        return text.Append('}').ToString();
    }

    private static string EscapeHelp(string help) =>
        help.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    // Metric names: [a-zA-Z_:][a-zA-Z0-9_:]*; anything else becomes '_'.
    private static string MetricName(string name) => Sanitize(name, allowColon: true);

    // Label names: [a-zA-Z_][a-zA-Z0-9_]*.
    private static string LabelName(string name) => Sanitize(name, allowColon: false);

    private static string Sanitize(string name, bool allowColon)
    {
        if (name.Length == 0)
        {
            return "_";
        }

        var chars = name.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            var c = chars[i];
            var ok = char.IsAsciiLetter(c) || c == '_' || (allowColon && c == ':') || (i > 0 && char.IsAsciiDigit(c));
            if (!ok)
            {
                chars[i] = '_';
            }
        }

        return new string(chars);
    }
}
