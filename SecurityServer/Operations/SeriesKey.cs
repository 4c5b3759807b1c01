using System.Globalization;

namespace ExchangeGateway.SecurityServer.Operations;

/// <summary>
/// The label set of one series, independent of the order tags were passed in: up to three name/value pairs
/// held inline and sorted by name (no allocation for the gateway's own instruments); more are folded into
/// one canonical string.
/// </summary>
internal readonly record struct SeriesKey(string? N0, string? V0, string? N1, string? V1, string? N2, string? V2)
{
    /// <summary>The series that collects measurements once an instrument has too many series.</summary>
    public static SeriesKey Overflow { get; } = new("overflow", "true", null, null, null, null);

    public static SeriesKey From(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        switch (tags.Length)
        {
            case 0:
                return default;
            case 1:
                return new(tags[0].Key, Text(tags[0].Value), null, null, null, null);
            case 2:
                return string.CompareOrdinal(tags[0].Key, tags[1].Key) <= 0
                    ? new(tags[0].Key, Text(tags[0].Value), tags[1].Key, Text(tags[1].Value), null, null)
                    : new(tags[1].Key, Text(tags[1].Value), tags[0].Key, Text(tags[0].Value), null, null);
            case 3:
                var (a, b, c) = (0, 1, 2);
                if (string.CompareOrdinal(tags[a].Key, tags[b].Key) > 0)
                {
                    (a, b) = (b, a);
                }

                if (string.CompareOrdinal(tags[b].Key, tags[c].Key) > 0)
                {
                    (b, c) = (c, b);
                }

                if (string.CompareOrdinal(tags[a].Key, tags[b].Key) > 0)
                {
                    (a, b) = (b, a);
                }

                return new(tags[a].Key, Text(tags[a].Value), tags[b].Key, Text(tags[b].Value), tags[c].Key, Text(tags[c].Value));
            default:
                var sorted = tags.ToArray();
                Array.Sort(sorted, (x, y) => string.CompareOrdinal(x.Key, y.Key));
                return new("\0" + string.Join('\0', sorted.Select(t => t.Key + "\0" + Text(t.Value))), null, null, null, null, null);
        }
    }

    /// <summary>The label pairs, sorted by name.</summary>
    public IEnumerable<(string Name, string Value)> Labels()
    {
        if (N0 is not null && N0.StartsWith('\0'))
        {
            var parts = N0[1..].Split('\0');
            for (var i = 0; i + 1 < parts.Length; i += 2)
            {
                yield return (parts[i], parts[i + 1]);
            }

            yield break;
        }

        if (N0 is not null)
        {
            yield return (N0, V0 ?? string.Empty);
        }

        if (N1 is not null)
        {
            yield return (N1, V1 ?? string.Empty);
        }

        if (N2 is not null)
        {
            yield return (N2, V2 ?? string.Empty);
        }
    }

    private static string Text(object? value) => value switch
    {
        null => string.Empty,
        string s => s,
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };
}
