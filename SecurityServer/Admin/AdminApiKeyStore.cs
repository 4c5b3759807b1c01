using ExchangeGateway.Common.Security;
using System.Collections.Immutable;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using ExchangeGateway.Common.Results;
using ExchangeGateway.SecurityServer.Registry;

namespace ExchangeGateway.SecurityServer.Admin;

/// <summary>
/// The security server's admin API keys, in <c>{DataDirectory}/admin-api-keys.json</c> (mode 0600, replaced
/// atomically). Only the SHA-256 of each secret is stored; a presented key is found by its public id and
/// its hash compared in fixed time. The file is re-read when it changes on disk, so a key made by the
/// <c>create-api-key</c> command works without a restart.
/// </summary>
public sealed class AdminApiKeyStore
{
    /// <summary>The file name inside the data directory.</summary>
    public const string FileName = "admin-api-keys.json";

    /// <summary>The longest key name.</summary>
    public const int MaxNameLength = 100;

    private const string InvalidCode = "request.invalid";
    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss'Z'";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        AllowDuplicateProperties = false,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private State _state = State.Empty;

    /// <summary>Opens the store for <paramref name="dataDirectory"/>; throws <see cref="InvalidOperationException"/> when the file exists but is unreadable.</summary>
    public AdminApiKeyStore(string dataDirectory, TimeProvider time)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataDirectory);
        ArgumentNullException.ThrowIfNull(time);
        FilePath = Path.GetFullPath(Path.Combine(dataDirectory, FileName));
        _time = time;
        lock (_gate)
        {
            var loaded = ReadFile();
            _state = loaded.Success ? loaded.Value : throw new InvalidOperationException(loaded.Message);
        }
    }

    /// <summary>The full path of the key file.</summary>
    public string FilePath { get; }

    /// <summary>Creates a key with <paramref name="roles"/>; the returned key text is the only copy.</summary>
    public ParseResult<CreatedAdminApiKey> Create(string name, IReadOnlyCollection<AdminRole> roles)
    {
        ArgumentNullException.ThrowIfNull(roles);
        if (string.IsNullOrWhiteSpace(name) || name.Length > MaxNameLength || name.Any(char.IsControl))
        {
            return ParseResult<CreatedAdminApiKey>.Fail(InvalidCode, $"name must be 1 to {MaxNameLength} characters without control characters.");
        }

        if (roles.Count == 0)
        {
            return ParseResult<CreatedAdminApiKey>.Fail(InvalidCode, "roles must name at least one role.");
        }

        var (id, key, hash) = ApiKeySecret.Generate();
        var info = new AdminApiKey(id, name, [.. roles.Distinct().Order()], Truncate(_time.GetUtcNow()), null);
        lock (_gate)
        {
            var state = Fresh();
            Save(state.With(info, hash));
        }

        return ParseResult<CreatedAdminApiKey>.Ok(new CreatedAdminApiKey(info, key));
    }

    /// <summary>Every key, active and revoked, oldest first; no secrets.</summary>
    public IReadOnlyList<AdminApiKey> List()
    {
        lock (_gate)
        {
            return [.. Fresh().Keys.Select(k => k.Info)];
        }
    }

    /// <summary>Revokes a key (keeping an earlier revocation); null when no key has <paramref name="id"/>.</summary>
    public AdminApiKey? Revoke(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        lock (_gate)
        {
            var state = Fresh();
            var index = state.Keys.FindIndex(k => string.Equals(k.Info.Id, id, StringComparison.Ordinal));
            if (index < 0)
            {
                return null;
            }

            var entry = state.Keys[index];
            if (!entry.Info.Active)
            {
                return entry.Info;
            }

            var revoked = entry.Info with { RevokedAt = Truncate(_time.GetUtcNow()) };
            Save(state with { Keys = state.Keys.SetItem(index, entry with { Info = revoked }) });
            return revoked;
        }
    }

    /// <summary>The active key matching <paramref name="presentedKey"/>, or null when it is malformed, unknown or revoked.</summary>
    public AdminApiKey? Authenticate(string? presentedKey)
    {
        if (!ApiKeySecret.TryParse(presentedKey, out var id, out var hash))
        {
            return null;
        }

        State state;
        lock (_gate)
        {
            state = Fresh();
        }

        var entry = state.Keys.FirstOrDefault(k => string.Equals(k.Info.Id, id, StringComparison.Ordinal));

        // Compare even when the id is unknown, so both paths cost about the same.
        var stored = entry?.Hash ?? new byte[hash.Length];
        var match = CryptographicOperations.FixedTimeEquals(stored, hash) && entry is not null;
        return match && entry!.Info.Active ? entry.Info : null;
    }

    // The state as on disk: re-read when the file's time stamp or length changed (another process wrote it).
    private State Fresh()
    {
        var stamp = Stamp();
        if (stamp == _state.Stamp)
        {
            return _state;
        }

        var loaded = ReadFile();
        if (loaded.Success)
        {
            _state = loaded.Value;
        }

        // A file broken by hand keeps the last good keys in force until it is fixed or rewritten.
        return _state;
    }

    private void Save(State state)
    {
        var file = new AdminApiKeyFile([.. state.Keys.Select(k => new AdminApiKeyRecord(
            k.Info.Id,
            k.Info.Name,
            [.. k.Info.Roles.Select(AdminRoles.Name)],
            Convert.ToHexStringLower(k.Hash),
            FormatTime(k.Info.CreatedAt),
            k.Info.RevokedAt is { } revoked ? FormatTime(revoked) : null))]);
        AtomicFile.Write(FilePath, JsonSerializer.SerializeToUtf8Bytes(file, Json));
        _state = state with { Stamp = Stamp() };
    }

    private ParseResult<State> ReadFile()
    {
        var stamp = Stamp();
        if (stamp.Length < 0)
        {
            return ParseResult<State>.Ok(State.Empty with { Stamp = stamp });
        }

        try
        {
            var file = JsonSerializer.Deserialize<AdminApiKeyFile>(File.ReadAllBytes(FilePath), Json)
                ?? throw new JsonException("The file holds null.");
            var keys = ImmutableList.CreateBuilder<Entry>();
            foreach (var r in file.Keys)
            {
                var roles = r.Roles.Select(n => AdminRoles.TryParse(n, out var role) ? role.Value : throw new JsonException("Unknown role.")).ToImmutableArray();
                if (!LocalConfigurationRules.IsSha256Hex(r.SecretSha256) || r.Id.Length != 16)
                {
                    throw new JsonException("A key record is malformed.");
                }

                keys.Add(new Entry(
                    new AdminApiKey(r.Id, r.Name, roles, ParseTime(r.CreatedAt), r.RevokedAt is null ? null : ParseTime(r.RevokedAt)),
                    Convert.FromHexString(r.SecretSha256)));
            }

            return ParseResult<State>.Ok(new State(keys.ToImmutable(), stamp));
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException or FormatException)
        {
            return ParseResult<State>.Fail(InvalidCode, $"{FilePath} cannot be read: {ex.Message}");
        }
    }

    private (DateTime Time, long Length) Stamp()
    {
        var info = new FileInfo(FilePath);
        return info.Exists ? (info.LastWriteTimeUtc, info.Length) : (DateTime.MinValue, -1);
    }

    private static DateTimeOffset Truncate(DateTimeOffset t) => new(t.UtcTicks - (t.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);

    private static string FormatTime(DateTimeOffset t) => t.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);

    private static DateTimeOffset ParseTime(string text) =>
        DateTimeOffset.ParseExact(text, TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    private sealed record Entry(AdminApiKey Info, byte[] Hash);

    private sealed record State(ImmutableList<Entry> Keys, (DateTime Time, long Length) Stamp)
    {
        public static State Empty { get; } = new([], (DateTime.MinValue, -1));

        public State With(AdminApiKey info, byte[] hash) => this with { Keys = Keys.Add(new Entry(info, hash)) };
    }
}
