using System.Collections.ObjectModel;

namespace ExchangeGateway.Config.Model;

/// <summary>Normalisation shared by the model's init accessors, so a snapshot cannot change after it is built.</summary>
internal static class Frozen
{
    /// <summary>A private read-only copy: later changes to the caller's list do not reach the snapshot.</summary>
    public static IReadOnlyList<T> List<T>(IEnumerable<T>? items, string name)
    {
        ArgumentNullException.ThrowIfNull(items, name);
        var copy = items.ToArray();
        foreach (var item in copy)
        {
            ArgumentNullException.ThrowIfNull(item, name);
        }

        return copy.Length == 0 ? [] : new ReadOnlyCollection<T>(copy);
    }

    /// <summary>A private copy of binary data.</summary>
    public static ReadOnlyMemory<byte> Bytes(ReadOnlyMemory<byte> value) => value.ToArray();

    /// <summary>
    /// UTC, truncated to whole seconds: the canonical form carries seconds only, so the model holds
    /// exactly what survives a write and a read.
    /// </summary>
    public static DateTimeOffset Time(DateTimeOffset value)
    {
        var utc = value.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
    }

    /// <summary>Truncated to whole seconds, for the same reason as <see cref="Time"/>.</summary>
    public static TimeSpan Duration(TimeSpan value) =>
        TimeSpan.FromTicks(value.Ticks - (value.Ticks % TimeSpan.TicksPerSecond));
}
