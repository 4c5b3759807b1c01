using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace ExchangeGateway.SecurityServer.Admin;

/// <summary>
/// A token bucket per API key id: each key may send <see cref="AdminApiOptions.RateLimitBurst"/> requests at
/// once and <see cref="AdminApiOptions.RateLimitPerSecond"/> per second on average. Time comes from the
/// <see cref="TimeProvider"/>. Buckets are kept per key id; there are as many as there are keys.
/// </summary>
public sealed class AdminRateLimiter
{
    private readonly ConcurrentDictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);
    private readonly IOptions<AdminApiOptions> _options;
    private readonly TimeProvider _time;

    /// <summary>Creates the limiter.</summary>
    public AdminRateLimiter(IOptions<AdminApiOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        _options = options;
        _time = time;
    }

    /// <summary>Takes one request from the bucket of <paramref name="keyId"/>; false with the wait until the next one when empty.</summary>
    public bool TryAcquire(string keyId, out TimeSpan retryAfter)
    {
        ArgumentNullException.ThrowIfNull(keyId);
        var o = _options.Value;
        var rate = Math.Max(o.RateLimitPerSecond, 0.001);
        var burst = Math.Max(o.RateLimitBurst, 1);
        var now = _time.GetTimestamp();
        var bucket = _buckets.GetOrAdd(keyId, _ => new Bucket(burst, now));
        lock (bucket)
        {
            var elapsed = _time.GetElapsedTime(bucket.At, now).TotalSeconds;
            bucket.Tokens = Math.Min(burst, bucket.Tokens + (Math.Max(elapsed, 0) * rate));
            bucket.At = now;
            if (bucket.Tokens >= 1)
            {
                bucket.Tokens -= 1;
                retryAfter = TimeSpan.Zero;
                return true;
            }

            retryAfter = TimeSpan.FromSeconds((1 - bucket.Tokens) / rate);
            return false;
        }
    }

    private sealed class Bucket(double tokens, long at)
    {
        public double Tokens { get; set; } = tokens;

        public long At { get; set; } = at;
    }
}
