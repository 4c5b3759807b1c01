using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;
using ExchangeGateway.SecurityServer.Registry;

namespace ExchangeGateway.SecurityServer.Onboarding;

/// <summary>
/// The management requests this server sent and the Central Server accepted, newest last, in
/// <c>{DataDirectory}/management-requests.json</c> (a JSON array, written atomically, mode 0600). The admin
/// API lists them (<c>GET /management-requests</c>). Only the last <see cref="MaxEntries"/> are kept.
/// Thread-safe.
/// </summary>
public sealed class ManagementRequestLog
{
    /// <summary>The file name inside the data directory.</summary>
    public const string FileName = "management-requests.json";

    /// <summary>How many requests are kept; older ones are dropped when a new one is added.</summary>
    public const int MaxEntries = 1000;

    /// <summary>The largest file read; anything larger is ignored as damaged.</summary>
    public const int MaxFileBytes = 4 * 1024 * 1024;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectRequiredConstructorParameters = true,
        RespectNullableAnnotations = true,
        MaxDepth = 4,
    };

    private readonly Lock _gate = new();
    private ImmutableList<SentManagementRequest> _entries;

    /// <summary>Opens the log at <paramref name="path"/>; a missing or unreadable file is an empty log (it is a record for people, not state).</summary>
    public ManagementRequestLog(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        FilePath = Path.GetFullPath(path);
        _entries = Load(FilePath);
    }

    /// <summary>The file.</summary>
    public string FilePath { get; }

    /// <summary>The requests, oldest first.</summary>
    public IReadOnlyList<SentManagementRequest> List() => Volatile.Read(ref _entries);

    /// <summary>Appends <paramref name="request"/> and writes the file.</summary>
    public void Add(SentManagementRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        lock (_gate)
        {
            var next = _entries.Add(request);
            if (next.Count > MaxEntries)
            {
                next = next.RemoveRange(0, next.Count - MaxEntries);
            }

            Save(next);
        }
    }

    /// <summary>Marks the newest not yet applied request of <paramref name="type"/> about <paramref name="target"/> as applied at <paramref name="at"/>; false when there is none.</summary>
    public bool MarkApplied(string type, string target, DateTimeOffset at)
    {
        lock (_gate)
        {
            for (var i = _entries.Count - 1; i >= 0; i--)
            {
                var entry = _entries[i];
                if (entry.AppliedAt is null && string.Equals(entry.Type, type, StringComparison.Ordinal) && string.Equals(entry.Target, target, StringComparison.Ordinal))
                {
                    Save(_entries.SetItem(i, entry with { AppliedAt = at }));
                    return true;
                }
            }

            return false;
        }
    }

    private void Save(ImmutableList<SentManagementRequest> entries)
    {
        AtomicFile.Write(FilePath, JsonSerializer.SerializeToUtf8Bytes(entries, Json));
        Volatile.Write(ref _entries, entries);
    }

    private static ImmutableList<SentManagementRequest> Load(string path)
    {
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists || info.Length > MaxFileBytes)
            {
                return [];
            }

            return JsonSerializer.Deserialize<List<SentManagementRequest>>(File.ReadAllBytes(path), Json) is { } list
                ? [.. list.Where(e => e is not null)]
                : [];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            return [];
        }
    }
}
