using System.Collections.Immutable;
using System.Text.Json;
using ExchangeGateway.SecurityServer.Registry;

namespace ExchangeGateway.SecurityServer.Admin;

/// <summary>
/// Which of the instance's approved time-stamping authorities this server uses, by name, in order of
/// preference: <c>{DataDirectory}/timestamping-services.json</c> (<c>{"names":[…]}</c>, replaced atomically).
/// Empty means every approved TSA. <see cref="Changed"/> is raised after each change.
/// </summary>
public sealed class TimestampingSelection
{
    /// <summary>The file name inside the data directory.</summary>
    public const string FileName = "timestamping-services.json";

    /// <summary>The longest name accepted.</summary>
    public const int MaxNameLength = 255;

    private const int MaxFileBytes = 1024 * 1024;

    private readonly Lock _gate = new();
    private ImmutableList<string> _names;

    /// <summary>Opens the selection of <paramref name="dataDirectory"/>; throws <see cref="InvalidOperationException"/> when the file exists but is not valid.</summary>
    public TimestampingSelection(string dataDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataDirectory);
        FilePath = Path.GetFullPath(Path.Combine(dataDirectory, FileName));
        _names = Read(FilePath);
    }

    /// <summary>Raised after a name was added or removed (not under a lock).</summary>
    public event EventHandler? Changed;

    /// <summary>The full path of the file.</summary>
    public string FilePath { get; }

    /// <summary>The selected names in order; empty means every approved TSA.</summary>
    public IReadOnlyList<string> Names => Volatile.Read(ref _names);

    /// <summary>Re-reads the file (after a restore replaced it); throws <see cref="InvalidOperationException"/> when it is not valid (the selection stays as it was).</summary>
    public void Reload()
    {
        var names = Read(FilePath);
        lock (_gate)
        {
            Volatile.Write(ref _names, names);
        }

        Changed?.Invoke(this, EventArgs.Empty);
    }

    /// <summary>
    /// The TSAs to use, in order: the <paramref name="selected"/> names that <paramref name="approved"/> still
    /// contains, or all of <paramref name="approved"/> while nothing is selected. A selected TSA the Central
    /// Server no longer approves is skipped, never used.
    /// </summary>
    public static IReadOnlyList<T> Effective<T>(IReadOnlyList<T> approved, Func<T, string> nameOf, IReadOnlyList<string> selected)
    {
        ArgumentNullException.ThrowIfNull(approved);
        ArgumentNullException.ThrowIfNull(nameOf);
        ArgumentNullException.ThrowIfNull(selected);
        return selected.Count == 0
            ? approved
            : [.. selected.SelectMany(name => approved.Where(t => string.Equals(nameOf(t), name, StringComparison.Ordinal)))];
    }

    /// <summary>Adds <paramref name="name"/> at the end; false when it is selected already. Throws <see cref="IOException"/> when the file cannot be written (nothing changed).</summary>
    public bool Add(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        lock (_gate)
        {
            if (_names.Contains(name, StringComparer.Ordinal))
            {
                return false;
            }

            Save(_names.Add(name));
        }

        Changed?.Invoke(this, EventArgs.Empty);
        return true;
    }

    /// <summary>Removes <paramref name="name"/>; false when it was not selected. Throws <see cref="IOException"/> when the file cannot be written (nothing changed).</summary>
    public bool Remove(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        lock (_gate)
        {
            var index = _names.IndexOf(name, StringComparer.Ordinal);
            if (index < 0)
            {
                return false;
            }

            Save(_names.RemoveAt(index));
        }

        Changed?.Invoke(this, EventArgs.Empty);
        return true;
    }

    /// <summary>True when <paramref name="name"/> has no control characters and is 1 to <see cref="MaxNameLength"/> characters.</summary>
    public static bool IsValidName(string? name) => name is { Length: > 0 and <= MaxNameLength } && !name.Any(char.IsControl);

    private void Save(ImmutableList<string> names)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteStartArray("names");
            foreach (var n in names)
            {
                w.WriteStringValue(n);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
        AtomicFile.Write(FilePath, buffer.ToArray());
        Volatile.Write(ref _names, names);
    }

    private static ImmutableList<string> Read(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            return [];
        }

        if (info.Length > MaxFileBytes)
        {
            throw new InvalidOperationException($"{path} is larger than {MaxFileBytes} bytes.");
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            var o = new StrictJsonObject(document.RootElement, "$");
            var names = o.Array("names", required: true, StrictJsonObject.ReadString);
            o.End();
            if (names.Any(n => !IsValidName(n)) || names.Distinct(StringComparer.Ordinal).Count() != names.Count)
            {
                throw new InvalidOperationException($"{path}: names must be distinct, 1 to {MaxNameLength} characters, without control characters.");
            }

            return [.. names];
        }
        catch (Exception ex) when (ex is JsonException or LocalConfigurationFormatException or IOException)
        {
            throw new InvalidOperationException($"{path} cannot be read: {ex.Message}", ex);
        }
    }
}
