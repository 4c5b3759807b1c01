using System.Globalization;

namespace ExchangeGateway.MessageLog.Records;

/// <summary>
/// Times in the message log: whole microseconds since the Unix epoch, UTC. Integers keep the canonical
/// encodings exact and language-neutral; microseconds are finer than any clock the proxies read.
/// </summary>
public static class LogTime
{
    private const long TicksPerMicrosecond = TimeSpan.TicksPerMillisecond / 1000;

    /// <summary>Microseconds since 1970-01-01T00:00:00Z, truncated (toward the past).</summary>
    public static long ToUnixMicroseconds(DateTimeOffset value)
    {
        var ticks = value.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        return ticks >= 0 ? ticks / TicksPerMicrosecond : -((-ticks + TicksPerMicrosecond - 1) / TicksPerMicrosecond);
    }

    /// <summary>The instant <paramref name="microseconds"/> after the Unix epoch, in UTC.</summary>
    public static DateTimeOffset FromUnixMicroseconds(long microseconds) =>
        DateTimeOffset.UnixEpoch.AddTicks(microseconds * TicksPerMicrosecond);

    /// <summary><paramref name="value"/> truncated to whole microseconds, in UTC: what the log stores.</summary>
    public static DateTimeOffset Truncate(DateTimeOffset value) => FromUnixMicroseconds(ToUnixMicroseconds(value));

    /// <summary>The text form used in checkpoints: <c>yyyy-MM-ddTHH:mm:ss.ffffffZ</c>.</summary>
    public static string Format(DateTimeOffset value) =>
        Truncate(value).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Parses exactly the form <see cref="Format"/> writes; false for anything else.</summary>
    public static bool TryParse(string text, out DateTimeOffset value)
    {
        if (DateTime.TryParseExact(text, "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var parsed))
        {
            value = new DateTimeOffset(parsed, TimeSpan.Zero);
            return true;
        }

        value = default;
        return false;
    }
}
