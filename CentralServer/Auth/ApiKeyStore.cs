using ExchangeGateway.Common.Security;
using System.Collections.Immutable;
using System.Security.Cryptography;
using ExchangeGateway.CentralServer.Audit;
using ExchangeGateway.CentralServer.Errors;
using ExchangeGateway.CentralServer.Registration;
using ExchangeGateway.CentralServer.Storage;
using Microsoft.Data.Sqlite;

namespace ExchangeGateway.CentralServer.Auth;

/// <summary>
/// API keys in the <c>api_key</c> table: stored as SHA-256 of the secret, looked up by their public id,
/// compared in fixed time. Creation and revocation are audited in their own transaction. API keys are not
/// part of the global configuration, so they do not change the registry version.
/// </summary>
public sealed class ApiKeyStore
{
    private const int MaxNameLength = 100;

    private readonly RegistryDatabase _db;
    private readonly TimeProvider _time;

    /// <summary>Creates the store over the database.</summary>
    public ApiKeyStore(RegistryDatabase db, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(time);
        _db = db;
        _time = time;
    }

    /// <summary>Creates a key with <paramref name="roles"/>; the returned key text is the only copy.</summary>
    public Result<CreatedApiKey> Create(Actor actor, string name, IReadOnlyCollection<Role> roles)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(roles);
        var invalid = RegistryRules.Text(name, "name");
        if (invalid is null && name.Length > MaxNameLength)
        {
            invalid = Failure.Invalid($"name is longer than {MaxNameLength} characters.");
        }

        if (invalid is null && roles.Count == 0)
        {
            invalid = Failure.Invalid("roles must name at least one role.");
        }

        if (invalid is not null)
        {
            return invalid;
        }

        var (id, key, hash) = ApiKeySecret.Generate();
        var now = _time.GetUtcNow();
        ImmutableArray<Role> distinct = [.. roles.Distinct().Order()];
        var info = new ApiKeyInfo(id, name, distinct, now, actor.Name, null);
        _db.Write(
            (c, tx) =>
            {
                Sql.Execute(
                    c,
                    tx,
                    "INSERT INTO api_key (id, name, roles, secret_hash, created_at, created_by) VALUES ($id, $name, $roles, $hash, $at, $by);",
                    ("$id", id),
                    ("$name", name),
                    ("$roles", string.Join(',', distinct.Select(Roles.Name))),
                    ("$hash", hash),
                    ("$at", Sql.Time(now)),
                    ("$by", actor.Name));
                AuditLog.Append(c, tx, _time, actor, "api-key.create", id, AuditEntry.Success, $"name={name}; roles={string.Join(',', distinct.Select(Roles.Name))}", null);
                return true;
            },
            static _ => true);
        return new CreatedApiKey(info, key);
    }

    /// <summary>All keys, active and revoked, oldest first. No secrets.</summary>
    public IReadOnlyList<ApiKeyInfo> List() =>
        _db.Read((c, tx) => Sql.Query(c, tx, "SELECT id, name, roles, created_at, created_by, revoked_at FROM api_key ORDER BY created_at, id;", ReadInfo));

    /// <summary>Revokes a key; revoking a revoked key keeps the first revocation.</summary>
    public Result<ApiKeyInfo> Revoke(Actor actor, string id)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(id);
        var result = _db.Write(
            (c, tx) =>
            {
                var changed = Sql.Execute(
                    c,
                    tx,
                    "UPDATE api_key SET revoked_at = $at, revoked_by = $by WHERE id = $id AND revoked_at IS NULL;",
                    ("$id", id),
                    ("$at", Sql.Time(_time.GetUtcNow())),
                    ("$by", actor.Name));
                var found = Find(c, tx, id);
                if (found is null)
                {
                    return Result<ApiKeyInfo>.Fail(Failure.NotFound("No API key has this id."));
                }

                AuditLog.Append(c, tx, _time, actor, "api-key.revoke", id, AuditEntry.Success, changed == 1 ? null : "already revoked", null);
                return found;
            },
            static r => r.Success);
        if (!result.Success)
        {
            new AuditLog(_db, _time).RecordFailure(actor, "api-key.revoke", id, result.Failure);
        }

        return result;
    }

    /// <summary>
    /// The active key matching <paramref name="presentedKey"/>, or null when it is malformed, unknown or
    /// revoked. The secret's hash is compared in fixed time.
    /// </summary>
    public ApiKeyInfo? Authenticate(string? presentedKey)
    {
        if (!ApiKeySecret.TryParse(presentedKey, out var id, out var hash))
        {
            return null;
        }

        var row = _db.Read((c, tx) =>
        {
            var rows = Sql.Query(
                c,
                tx,
                "SELECT id, name, roles, created_at, created_by, revoked_at, secret_hash FROM api_key WHERE id = $id;",
                r => (Info: ReadInfo(r), Hash: (byte[])r.GetValue(6)),
                ("$id", id));
            return rows.Count == 1 ? rows[0] : ((ApiKeyInfo Info, byte[] Hash)?)null;
        });

        // Compare even when the id is unknown, so both paths cost about the same.
        var stored = row?.Hash ?? new byte[hash.Length];
        var match = CryptographicOperations.FixedTimeEquals(stored, hash) && row is not null;
        return match && row!.Value.Info.Active ? row.Value.Info : null;
    }

    private static ApiKeyInfo? Find(SqliteConnection c, SqliteTransaction tx, string id)
    {
        var rows = Sql.Query(c, tx, "SELECT id, name, roles, created_at, created_by, revoked_at FROM api_key WHERE id = $id;", ReadInfo, ("$id", id));
        return rows.Count == 1 ? rows[0] : null;
    }

    private static ApiKeyInfo ReadInfo(SqliteDataReader r) => new(
        r.GetString(0),
        r.GetString(1),
        [.. r.GetString(2).Split(',', StringSplitOptions.RemoveEmptyEntries).Select(n => Roles.TryParse(n, out var role) ? role.Value : throw new InvalidOperationException("Unknown role in api_key table."))],
        Sql.ParseTime(r.GetString(3)),
        r.GetString(4),
        Sql.NullableString(r, 5) is { } revoked ? Sql.ParseTime(revoked) : null);
}
