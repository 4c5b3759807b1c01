using System.Buffers;
using System.Globalization;
using System.Text.Json;
using ExchangeGateway.Common.Identifiers;
using ExchangeGateway.SecurityServer.Registry;

namespace ExchangeGateway.SecurityServer.Backup;

/// <summary>One file of a backup as its manifest lists it.</summary>
/// <param name="Path">The path inside <c>files/</c>, e.g. <c>keys/token.json</c>.</param>
/// <param name="Size">Its size in bytes.</param>
/// <param name="Sha256">SHA-256 of its bytes, lowercase hex.</param>
internal sealed record BackupFileEntry(string Path, long Size, string Sha256);

/// <summary>
/// <c>manifest.json</c> of a backup: format, server, instance, time and every file with its size and
/// SHA-256. The owner's detached CMS signature over its exact bytes is <c>manifest.json.p7s</c>.
/// </summary>
internal sealed record BackupManifest(SecurityServerId ServerId, string Instance, DateTimeOffset CreatedAt, IReadOnlyList<BackupFileEntry> Files)
{
    /// <summary>The format name; a reader refuses any other.</summary>
    public const string Format = "xgw-backup/1";

    /// <summary>The largest manifest or signature read.</summary>
    public const int MaxBytes = 4 * 1024 * 1024;

    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss'Z'";

    /// <summary>The manifest's bytes: UTF-8 JSON, two-space indented, final newline.</summary>
    public byte[] Write()
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("format", Format);
            w.WriteString("serverId", ServerId.ToString());
            w.WriteString("instance", Instance);
            w.WriteString("createdAt", CreatedAt.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture));
            w.WriteStartArray("files");
            foreach (var f in Files)
            {
                w.WriteStartObject();
                w.WriteString("path", f.Path);
                w.WriteNumber("size", f.Size);
                w.WriteString("sha256", f.Sha256);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return [.. buffer.WrittenSpan, (byte)'\n'];
    }

    /// <summary>Reads a manifest strictly: known members only, the format, consistent identifiers, allowed and unique paths.</summary>
    public static BackupResult<BackupManifest> Read(ReadOnlyMemory<byte> utf8)
    {
        if (utf8.Length > MaxBytes)
        {
            return Malformed($"manifest.json is larger than {MaxBytes} bytes");
        }

        try
        {
            using var document = JsonDocument.Parse(utf8, new JsonDocumentOptions { MaxDepth = 8 });
            var o = new StrictJsonObject(document.RootElement, "$");
            var format = o.String("format");
            if (format != Format)
            {
                return Malformed($"manifest.json has format '{Printable(format)}', expected {Format}");
            }

            var serverId = SecurityServerId.TryParse(o.String("serverId"));
            if (!serverId.Success)
            {
                return Malformed($"manifest.json: $.serverId: {serverId.Message}");
            }

            var instance = o.String("instance");
            if (instance != serverId.Value.Owner.Instance)
            {
                return Malformed("manifest.json: $.instance differs from the instance of $.serverId");
            }

            if (!DateTimeOffset.TryParseExact(o.String("createdAt"), TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var createdAt))
            {
                return Malformed("manifest.json: $.createdAt must be a UTC time such as 2026-01-31T12:00:00Z");
            }

            var files = o.Array("files", required: true, ReadFile);
            o.End();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var file in files)
            {
                if (!seen.Add(file.Path))
                {
                    return Malformed($"manifest.json lists {file.Path} twice");
                }
            }

            if (!seen.Contains(BackupLayout.ServerConf))
            {
                return Malformed($"manifest.json does not list {BackupLayout.ServerConf}");
            }

            return BackupResult<BackupManifest>.Ok(new BackupManifest(serverId.Value, instance, createdAt, files));
        }
        catch (JsonException)
        {
            return Malformed("manifest.json is not JSON");
        }
        catch (LocalConfigurationFormatException ex)
        {
            return Malformed("manifest.json: " + ex.Message);
        }
    }

    private static BackupFileEntry ReadFile(JsonElement e, string at)
    {
        var o = new StrictJsonObject(e, at);
        var path = o.String("path");
        if (BackupLayout.CheckPath(path) is { } problem)
        {
            throw new LocalConfigurationFormatException($"{o.At("path")}: {problem}");
        }

        var sizeElement = o.Required("size");
        if (sizeElement.ValueKind != JsonValueKind.Number || !sizeElement.TryGetInt64(out var size) || size < 0)
        {
            throw new LocalConfigurationFormatException($"{o.At("size")} must be a non-negative integer");
        }

        var sha256 = o.String("sha256");
        if (sha256.Length != 64 || !sha256.All(c => char.IsAsciiHexDigitLower(c) || char.IsAsciiDigit(c)))
        {
            throw new LocalConfigurationFormatException($"{o.At("sha256")} must be 64 lowercase hex digits");
        }

        o.End();
        return new BackupFileEntry(path, size, sha256);
    }

    private static BackupResult<BackupManifest> Malformed(string message) => BackupResult<BackupManifest>.Fail(BackupErrors.Malformed, message);

    private static string Printable(string text) => text.Length > 40 || text.Any(char.IsControl) ? "…" : text;
}
