using System.Numerics;

namespace ExchangeGateway.LoadBench.Load;

/// <summary>
/// An HDR-style latency histogram in microseconds: exact below 256 µs, then 128 linear sub-buckets per
/// power of two, so every recorded value is kept within 0.8 % whatever its size, in fixed memory and
/// with O(1) recording. Not thread-safe: each load worker keeps its own and they are merged at the end.
/// </summary>
internal sealed class LatencyHistogram
{
    private const int SubBucketBits = 7;
    private const int SubBuckets = 1 << SubBucketBits;
    private const int ExactLimit = 2 * SubBuckets;
    private readonly long[] _counts = new long[ExactLimit + (64 * SubBuckets)];

    public long Count { get; private set; }

    public long Max { get; private set; }

    public double Sum { get; private set; }

    public void Record(long micros)
    {
        var value = Math.Max(0, micros);
        _counts[Index(value)]++;
        Count++;
        Sum += value;
        Max = Math.Max(Max, value);
    }

    public void Add(LatencyHistogram other)
    {
        ArgumentNullException.ThrowIfNull(other);
        for (var i = 0; i < _counts.Length; i++)
        {
            _counts[i] += other._counts[i];
        }

        Count += other.Count;
        Sum += other.Sum;
        Max = Math.Max(Max, other.Max);
    }

    /// <summary>The smallest bucket upper bound at or below which <paramref name="percentile"/> % of the values lie (HDR's "highest equivalent value").</summary>
    public long ValueAtPercentile(double percentile)
    {
        if (Count == 0)
        {
            return 0;
        }

        var rank = Math.Max(1, (long)Math.Ceiling(percentile / 100.0 * Count));
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= rank)
            {
                return Math.Min(HighestEquivalent(i), Max);
            }
        }

        return Max;
    }

    internal static int Index(long value)
    {
        if (value < ExactLimit)
        {
            return (int)value;
        }

        // value >> shift lands in [128, 255]: the top 8 significant bits.
        var shift = BitOperations.Log2((ulong)value) - SubBucketBits;
        return ExactLimit + ((shift - 1) * SubBuckets) + (int)((value >> shift) - SubBuckets);
    }

    internal static long HighestEquivalent(int index)
    {
        if (index < ExactLimit)
        {
            return index;
        }

        var shift = ((index - ExactLimit) / SubBuckets) + 1;
        var mantissa = ((index - ExactLimit) % SubBuckets) + SubBuckets;
        return ((mantissa + 1L) << shift) - 1;
    }
}
