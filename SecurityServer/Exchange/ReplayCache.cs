using System.Collections.Concurrent;

namespace ExchangeGateway.SecurityServer.Exchange;

/// <summary>
/// Message ids seen per client inside the replay window (RELIABILITY.md: a message id already seen for
/// the same client gets <c>client.duplicate_message_id</c>; X-Road does not check this). Warmed from the
/// message log at start-up so a restart does not reopen the window. Bounded: when full, the oldest
/// entries are dropped early, which can only let an old replay through, never refuse a new message.
/// </summary>
public sealed class ReplayCache
{
    private readonly ConcurrentDictionary<(string Client, string MessageId), long> _seen = new();
    private readonly TimeSpan _window;
    private readonly int _capacity;
    private readonly Lock _pruneGate = new();
    private long _nextPruneTicks;

    /// <summary>Creates a cache.</summary>
    public ReplayCache(TimeSpan window, int capacity = 1_000_000)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 16);
        _window = window;
        _capacity = capacity;
    }

    /// <summary>How many ids are remembered.</summary>
    public int Count => _seen.Count;

    /// <summary>Records <paramref name="messageId"/> for <paramref name="client"/>; false when it was seen inside the window.</summary>
    public bool TryReserve(string client, string messageId, DateTimeOffset now)
    {
        Prune(now);
        var key = (client, messageId);
        var ticks = now.UtcTicks;
        while (true)
        {
            if (_seen.TryAdd(key, ticks))
            {
                return true;
            }

            if (!_seen.TryGetValue(key, out var seenAt))
            {
                continue;
            }

            if (ticks - seenAt < _window.Ticks)
            {
                return false;
            }

            if (_seen.TryUpdate(key, ticks, seenAt))
            {
                return true;
            }
        }
    }

    /// <summary>Adds an id already accepted earlier (from the message log).</summary>
    public void Remember(string client, string messageId, DateTimeOffset at) => _seen.TryAdd((client, messageId), at.UtcTicks);

    private void Prune(DateTimeOffset now)
    {
        var ticks = now.UtcTicks;
        if (ticks < Interlocked.Read(ref _nextPruneTicks) && _seen.Count < _capacity)
        {
            return;
        }

        lock (_pruneGate)
        {
            if (ticks < _nextPruneTicks && _seen.Count < _capacity)
            {
                return;
            }

            var cutoff = ticks - _window.Ticks;
            if (_seen.Count >= _capacity)
            {
                // Keep the newest half: sorting is O(n log n) but happens once per capacity/2 new ids.
                cutoff = Math.Max(cutoff, _seen.Values.Order().ElementAt(_seen.Count / 2));
            }

            foreach (var (key, at) in _seen)
            {
                if (at < cutoff)
                {
                    _seen.TryRemove(new KeyValuePair<(string, string), long>(key, at));
                }
            }

            Interlocked.Exchange(ref _nextPruneTicks, ticks + Math.Max(_window.Ticks / 10, TimeSpan.TicksPerSecond));
        }
    }
}
