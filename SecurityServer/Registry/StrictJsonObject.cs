using System.Text.Json;

namespace ExchangeGateway.SecurityServer.Registry;

/// <summary>
/// One JSON object read strictly: a member present twice is rejected on entry, and <see cref="End"/>
/// rejects any member nobody asked for. Paths in messages are JSON paths, e.g. <c>$.clients[0].url</c>.
/// </summary>
internal sealed class StrictJsonObject
{
    private readonly Dictionary<string, JsonElement> _members = new(StringComparer.Ordinal);
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    public StrictJsonObject(JsonElement element, string path)
    {
        Path = path;
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new LocalConfigurationFormatException($"{path} must be an object");
        }

        foreach (var property in element.EnumerateObject())
        {
            if (!_members.TryAdd(property.Name, property.Value))
            {
                throw new LocalConfigurationFormatException($"{path} has the member '{Printable(property.Name)}' more than once");
            }
        }
    }

    public string Path { get; }

    public string At(string name) => $"{Path}.{name}";

    public JsonElement Required(string name)
    {
        _used.Add(name);
        return _members.TryGetValue(name, out var value)
            ? value
            : throw new LocalConfigurationFormatException($"{Path} lacks the required member '{name}'");
    }

    public JsonElement? Optional(string name)
    {
        _used.Add(name);
        return _members.TryGetValue(name, out var value) ? value : null;
    }

    public string String(string name) => ReadString(Required(name), At(name));

    public string? OptionalString(string name) => Optional(name) is { } e ? ReadString(e, At(name)) : null;

    public bool Boolean(string name, bool defaultValue)
    {
        if (Optional(name) is not { } e)
        {
            return defaultValue;
        }

        return e.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new LocalConfigurationFormatException($"{At(name)} must be true or false"),
        };
    }

    public int Integer(string name, int defaultValue)
    {
        if (Optional(name) is not { } e)
        {
            return defaultValue;
        }

        return e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out var value)
            ? value
            : throw new LocalConfigurationFormatException($"{At(name)} must be an integer");
    }

    public List<T> Array<T>(string name, bool required, Func<JsonElement, string, T> item)
    {
        var element = required ? Required(name) : Optional(name);
        return element is { } e ? ReadArray(e, At(name), item) : [];
    }

    public void End()
    {
        foreach (var name in _members.Keys)
        {
            if (!_used.Contains(name))
            {
                throw new LocalConfigurationFormatException($"{Path} has the unknown member '{Printable(name)}'");
            }
        }
    }

    public static string ReadString(JsonElement e, string path) =>
        e.ValueKind == JsonValueKind.String ? e.GetString()! : throw new LocalConfigurationFormatException($"{path} must be a string");

    public static List<T> ReadArray<T>(JsonElement e, string path, Func<JsonElement, string, T> item)
    {
        if (e.ValueKind != JsonValueKind.Array)
        {
            throw new LocalConfigurationFormatException($"{path} must be an array");
        }

        var list = new List<T>(e.GetArrayLength());
        var i = 0;
        foreach (var element in e.EnumerateArray())
        {
            list.Add(item(element, $"{path}[{i}]"));
            i++;
        }

        return list;
    }

    /// <summary>Member names from the input reach messages only as safe ASCII, at most 64 characters.</summary>
    private static string Printable(string name) =>
        new(name.Take(64).Select(c => c is >= ' ' and <= '~' ? c : '?').ToArray());
}
