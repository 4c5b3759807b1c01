using System.Text.Json;

namespace ExchangeGateway.Config.Serialization;

/// <summary>One JSON object read strictly: duplicate members are rejected on entry, and <see cref="End"/> rejects any member nobody asked for.</summary>
internal sealed class StrictObject
{
    private readonly Dictionary<string, JsonElement> _members = new(StringComparer.Ordinal);
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    public StrictObject(JsonElement element, string path)
    {
        Path = path;
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new ConfigurationFormatException($"{path} must be an object");
        }

        foreach (var property in element.EnumerateObject())
        {
            if (!_members.TryAdd(property.Name, property.Value))
            {
                throw new ConfigurationFormatException($"{path} has the member '{Printable(property.Name)}' more than once");
            }
        }
    }

    public string Path { get; }

    public JsonElement Required(string name)
    {
        _used.Add(name);
        return _members.TryGetValue(name, out var value)
            ? value
            : throw new ConfigurationFormatException($"{Path} lacks the required member '{name}'");
    }

    public JsonElement? Optional(string name)
    {
        _used.Add(name);
        return _members.TryGetValue(name, out var value) ? value : null;
    }

    public string At(string name) => $"{Path}.{name}";

    public StrictObject Object(string name) => new(Required(name), At(name));

    public void End()
    {
        foreach (var name in _members.Keys)
        {
            if (!_used.Contains(name))
            {
                throw new ConfigurationFormatException($"{Path} has the unknown member '{Printable(name)}'");
            }
        }
    }

    /// <summary>Member names from the input reach messages only as safe ASCII, at most 64 characters.</summary>
    private static string Printable(string name)
    {
        var chars = name.Take(64).Select(c => c is >= ' ' and <= '~' ? c : '?').ToArray();
        return new string(chars);
    }
}
