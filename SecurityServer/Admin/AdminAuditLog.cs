using System.Buffers;
using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace ExchangeGateway.SecurityServer.Admin;

/// <summary>
/// The admin audit log, <c>{DataDirectory}/audit/admin-audit.jsonl</c>: one JSON object per line for every
/// admin request that could change something (every method but GET and HEAD), successful or refused
/// (401, 403, 429 included). Each line is written and flushed to the disk before the response is sent, so
/// an acknowledged change always has its line. The directory is mode 0700 and the file 0600. Lines hold
/// identifiers, names and codes, never request bodies, PINs or keys.
/// </summary>
public sealed class AdminAuditLog
{
    /// <summary>The directory inside the data directory.</summary>
    public const string DirectoryName = "audit";

    /// <summary>The file name.</summary>
    public const string FileName = "admin-audit.jsonl";

    /// <summary>The most entries one read returns.</summary>
    public const int MaxRead = 1000;

    private const int MaxLineBytes = 64 * 1024;

    private readonly Lock _gate = new();
    private readonly TimeProvider _time;

    /// <summary>Opens (without creating anything yet) the log of <paramref name="dataDirectory"/>.</summary>
    public AdminAuditLog(string dataDirectory, TimeProvider time)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataDirectory);
        ArgumentNullException.ThrowIfNull(time);
        FilePath = Path.GetFullPath(Path.Combine(dataDirectory, DirectoryName, FileName));
        _time = time;
    }

    /// <summary>The full path of the log file.</summary>
    public string FilePath { get; }

    /// <summary>The current time by the log's clock.</summary>
    public DateTimeOffset Now => _time.GetUtcNow();

    /// <summary>Appends <paramref name="entry"/> as one line and flushes it to the disk; throws <see cref="IOException"/> when it cannot.</summary>
    public void Append(AdminAuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var line = Format(entry);
        lock (_gate)
        {
            var directory = Path.GetDirectoryName(FilePath)!;
            if (!Directory.Exists(directory))
            {
                if (OperatingSystem.IsWindows())
                {
                    Directory.CreateDirectory(directory);
                }
                else
                {
                    Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                }
            }

            var options = new FileStreamOptions { Mode = FileMode.Append, Access = FileAccess.Write, Share = FileShare.Read };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using var file = new FileStream(FilePath, options);
            file.Write(line);
            file.Flush(flushToDisk: true);
        }
    }

    /// <summary>The newest <paramref name="limit"/> entries (1 to <see cref="MaxRead"/>), oldest first. Lines that do not parse are skipped.</summary>
    public IReadOnlyList<AdminAuditEntry> ReadLast(int limit)
    {
        limit = Math.Clamp(limit, 1, MaxRead);
        var last = new Queue<AdminAuditEntry>(limit);
        lock (_gate)
        {
            if (!File.Exists(FilePath))
            {
                return [];
            }

            using var file = new FileStream(FilePath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(file, new UTF8Encoding(false, true));
            while (reader.ReadLine() is { } line)
            {
                if (line.Length == 0 || line.Length > MaxLineBytes || Parse(line) is not { } entry)
                {
                    continue;
                }

                if (last.Count == limit)
                {
                    last.Dequeue();
                }

                last.Enqueue(entry);
            }
        }

        return [.. last];
    }

    /// <summary>Writes one entry as JSON (the shape of a log line, and of the <c>GET /audit-log</c> items).</summary>
    public static void Write(Utf8JsonWriter w, AdminAuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(entry);
        w.WriteStartObject();
        w.WriteString("time", entry.Time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));
        WriteNullable(w, "keyId", entry.KeyId);
        WriteNullable(w, "keyName", entry.KeyName);
        w.WriteStartArray("roles");
        foreach (var role in entry.Roles)
        {
            w.WriteStringValue(role);
        }

        w.WriteEndArray();
        w.WriteString("action", entry.Action);
        w.WriteString("target", entry.Target);
        w.WriteString("outcome", entry.Outcome);
        w.WriteNumber("status", entry.Status);
        w.WriteString("remote", entry.Remote);
        w.WriteEndObject();
    }

    private static byte[] Format(AdminAuditEntry entry)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            Write(w, entry);
        }

        buffer.Write("\n"u8);
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteNullable(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null)
        {
            w.WriteNull(name);
        }
        else
        {
            w.WriteString(name, value);
        }
    }

    private static AdminAuditEntry? Parse(string line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            var e = document.RootElement;
            return new AdminAuditEntry(
                DateTimeOffset.Parse(e.GetProperty("time").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal),
                e.GetProperty("keyId").GetString(),
                e.GetProperty("keyName").GetString(),
                [.. e.GetProperty("roles").EnumerateArray().Select(r => r.GetString()!)],
                e.GetProperty("action").GetString()!,
                e.GetProperty("target").GetString()!,
                e.GetProperty("outcome").GetString()!,
                e.GetProperty("status").GetInt32(),
                e.GetProperty("remote").GetString()!);
        }
        catch (Exception ex) when (ex is JsonException or FormatException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }
}
