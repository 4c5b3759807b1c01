namespace ExchangeGateway.SecurityServer.Operations;

/// <summary>
/// The running aggregate of one series: a sum (counters), a last value (gauges), or bucket counts and a sum
/// (histograms). Updated with interlocked operations only, so concurrent exchanges never wait on a lock.
/// </summary>
internal sealed class MetricSeries
{
    private readonly double[]? _bounds;
    private readonly long[]? _buckets;
    private long _longSum;
    private double _doubleSum;
    private double _last;
    private int _hasLast;

    public MetricSeries(double[]? bounds)
    {
        _bounds = bounds;
        _buckets = bounds is null ? null : new long[bounds.Length + 1];
    }

    /// <summary>Adds to a counter (or a histogram's sum).</summary>
    public void Add(long value) => Interlocked.Add(ref _longSum, value);

    /// <summary>Adds to a counter's (or a histogram's) floating-point sum.</summary>
    public void Add(double value)
    {
        var current = Volatile.Read(ref _doubleSum);
        while (true)
        {
            var seen = Interlocked.CompareExchange(ref _doubleSum, current + value, current);
            if (seen.Equals(current))
            {
                return;
            }

            current = seen;
        }
    }

    /// <summary>Records one histogram observation: its bucket (value ≤ bound, Prometheus <c>le</c>) and the sum.</summary>
    public void Observe(double value)
    {
        var index = Array.BinarySearch(_bounds!, value);
        if (index < 0)
        {
            index = ~index;
        }

        Interlocked.Increment(ref _buckets![index]);
        Add(value);
    }

    /// <summary>Sets a gauge.</summary>
    public void Set(double value)
    {
        Volatile.Write(ref _last, value);
        Volatile.Write(ref _hasLast, 1);
    }

    /// <summary>Forgets a gauge's value before its callbacks run again.</summary>
    public void Clear() => Volatile.Write(ref _hasLast, 0);

    /// <summary>The gauge value, if one was set since the last <see cref="Clear"/>.</summary>
    public double? Last => Volatile.Read(ref _hasLast) == 1 ? Volatile.Read(ref _last) : null;

    /// <summary>The counter's (or histogram's) sum.</summary>
    public double Sum => Interlocked.Read(ref _longSum) + Volatile.Read(ref _doubleSum);

    /// <summary>The bucket bounds of a histogram.</summary>
    public IReadOnlyList<double> Bounds => _bounds ?? [];

    /// <summary>A snapshot of the non-cumulative bucket counts; the last is the +Inf bucket.</summary>
    public long[] BucketCounts()
    {
        var copy = new long[_buckets!.Length];
        for (var i = 0; i < copy.Length; i++)
        {
            copy[i] = Interlocked.Read(ref _buckets[i]);
        }

        return copy;
    }
}
