using System.Globalization;
using System.Text;
using System.Text.Json;

namespace ExchangeGateway.Cli;

/// <summary>Short renderings of API JSON for people: <c>name: value</c> lines and aligned tables.</summary>
internal static class Human
{
    /// <summary>The text of a member path such as <c>key.id</c>; <c>-</c> when absent or null; arrays joined with <c>, </c>.</summary>
    public static string Get(JsonElement element, string path)
    {
        var current = element;
        foreach (var part in path.Split('.'))
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(part, out current))
            {
                return "-";
            }
        }

        return Text(current);
    }

    /// <summary>A value as text: strings as they are, arrays joined, objects as compact JSON.</summary>
    public static string Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Null or JsonValueKind.Undefined => "-",
        JsonValueKind.True => "yes",
        JsonValueKind.False => "no",
        JsonValueKind.Array => value.GetArrayLength() == 0 ? "-" : string.Join(", ", value.EnumerateArray().Select(Text)),
        _ => value.GetRawText(),
    };

    /// <summary><c>name: value</c> lines for the given member paths that are present.</summary>
    public static string Fields(JsonElement element, params string[] paths)
    {
        var width = paths.Max(p => p.Length) + 1;
        var text = new StringBuilder();
        foreach (var path in paths)
        {
            var value = Get(element, path);
            if (value != "-")
            {
                text.Append((path + ":").PadRight(width + 1)).Append(value).Append('\n');
            }
        }

        return text.Length == 0 ? "(empty)" : text.ToString().TrimEnd('\n');
    }

    /// <summary>An aligned table of <paramref name="rows"/>; <c>(none)</c> when there are no rows.</summary>
    public static string Table(IEnumerable<JsonElement> rows, params (string Header, string Path)[] columns) =>
        Table(rows, columns.Select(c => (c.Header, (Func<JsonElement, string>)(r => Get(r, c.Path)))).ToArray());

    /// <summary>An aligned table with computed cells.</summary>
    public static string Table(IEnumerable<JsonElement> rows, params (string Header, Func<JsonElement, string> Cell)[] columns)
    {
        var cells = rows.Select(r => columns.Select(c => c.Cell(r)).ToArray()).ToList();
        if (cells.Count == 0)
        {
            return "(none)";
        }

        var widths = columns.Select((c, i) => Math.Max(c.Header.Length, cells.Max(r => r[i].Length))).ToArray();
        var text = new StringBuilder();
        AppendRow(text, columns.Select(c => c.Header).ToArray(), widths);
        foreach (var row in cells)
        {
            AppendRow(text, row, widths);
        }

        return text.ToString().TrimEnd('\n');
    }

    /// <summary>The elements of an array (or of the array member <paramref name="member"/> of an object); empty otherwise.</summary>
    public static IEnumerable<JsonElement> Items(JsonElement element, string? member = null)
    {
        if (member is not null)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(member, out element))
            {
                return [];
            }
        }

        return element.ValueKind == JsonValueKind.Array ? element.EnumerateArray() : [];
    }

    /// <summary>
    /// Any JSON for people: an object as <c>name: value</c> lines (nested objects flattened as <c>a.b</c>), an
    /// array of objects as a table of their scalar members, an array of strings one per line.
    /// </summary>
    public static string Auto(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var paths = new List<string>();
                Flatten(element, string.Empty, paths);
                return paths.Count == 0 ? "(empty)" : Fields(element, [.. paths]);
            case JsonValueKind.Array:
                var items = element.EnumerateArray().ToList();
                if (items.Count == 0)
                {
                    return "(none)";
                }

                if (items.All(i => i.ValueKind != JsonValueKind.Object))
                {
                    return string.Join('\n', items.Select(Text));
                }

                var columns = items
                    .Where(i => i.ValueKind == JsonValueKind.Object)
                    .SelectMany(i => i.EnumerateObject())
                    .Where(p => p.Value.ValueKind is not JsonValueKind.Object)
                    .Select(p => p.Name)
                    .Distinct(StringComparer.Ordinal)
                    .ToArray();
                return Table(items, columns.Select(c => (c, c)).ToArray());
            default:
                return Text(element);
        }
    }

    private static void Flatten(JsonElement o, string prefix, List<string> paths)
    {
        foreach (var p in o.EnumerateObject())
        {
            if (p.Value.ValueKind == JsonValueKind.Object)
            {
                Flatten(p.Value, prefix + p.Name + ".", paths);
            }
            else if (!(p.Value.ValueKind == JsonValueKind.Array && p.Value.EnumerateArray().Any(v => v.ValueKind is JsonValueKind.Object or JsonValueKind.Array)))
            {
                paths.Add(prefix + p.Name);
            }
        }
    }

    /// <summary>A state or enum text compared loosely: <c>Registered</c>, <c>registered</c> and <c>REGISTERED</c> are the same; <c>registration-in-progress</c> equals <c>RegistrationInProgress</c>.</summary>
    public static string Normalise(string? value) =>
        value is null ? string.Empty : new string([.. value.Where(char.IsLetterOrDigit).Select(c => char.ToLowerInvariant(c))]);

    /// <summary>A byte count for people.</summary>
    public static string Bytes(long bytes) => bytes switch
    {
        < 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.#} KiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):0.#} MiB"),
    };

    private static void AppendRow(StringBuilder text, string[] cells, int[] widths)
    {
        for (var i = 0; i < cells.Length; i++)
        {
            text.Append(i == cells.Length - 1 ? cells[i] : cells[i].PadRight(widths[i] + 2));
        }

        text.Append('\n');
    }
}
