using ExchangeGateway.CentralServer.Errors;
using ExchangeGateway.CentralServer.Registration;
using ExchangeGateway.CentralServer.Storage;
using Microsoft.Data.Sqlite;

namespace ExchangeGateway.CentralServer.Audit;

/// <summary>
/// The append-only audit log (<c>audit_log</c> table). A successful change is recorded inside the change's
/// own transaction, so a change without its record cannot exist; a refused attempt is recorded on its own.
/// Entries hold names and identifiers, never key material or request bodies.
/// </summary>
public sealed class AuditLog
{
    /// <summary>Most entries one read returns.</summary>
    public const int MaxPage = 1000;

    private readonly RegistryDatabase _db;
    private readonly TimeProvider _time;

    /// <summary>Creates the log over the database.</summary>
    public AuditLog(RegistryDatabase db, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(time);
        _db = db;
        _time = time;
    }

    /// <summary>Records a successful change outside the registry (configuration-signing keys, forced generation).</summary>
    public void RecordSuccess(Actor actor, string action, string target, string? detail = null)
    {
        _db.Write(
            (c, tx) =>
            {
                Append(c, tx, _time, actor, action, target, AuditEntry.Success, detail, null);
                return true;
            },
            static _ => true);
    }

    /// <summary>Records a refused attempt (no registry change happened).</summary>
    public void RecordFailure(Actor actor, string action, string target, Failure failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        _db.Write(
            (c, tx) =>
            {
                Append(c, tx, _time, actor, action, target, failure.Code, failure.Message, null);
                return true;
            },
            static _ => true);
    }

    /// <summary>Entries after <paramref name="afterSequence"/>, oldest first, at most <paramref name="limit"/> (capped at <see cref="MaxPage"/>).</summary>
    public IReadOnlyList<AuditEntry> Read(long afterSequence, int limit)
    {
        limit = Math.Clamp(limit, 1, MaxPage);
        return _db.Read((c, tx) => Sql.Query(
            c,
            tx,
            """
            SELECT seq, at, actor_key_id, actor_name, action, target, outcome, detail, registry_version
            FROM audit_log WHERE seq > $after ORDER BY seq LIMIT $limit;
            """,
            r => new AuditEntry(
                r.GetInt64(0),
                Sql.ParseTime(r.GetString(1)),
                Sql.NullableString(r, 2),
                r.GetString(3),
                r.GetString(4),
                r.GetString(5),
                r.GetString(6),
                Sql.NullableString(r, 7),
                r.IsDBNull(8) ? null : r.GetInt64(8)),
            ("$after", afterSequence),
            ("$limit", limit)));
    }

    /// <summary>Appends one entry inside the caller's transaction.</summary>
    internal static void Append(
        SqliteConnection c,
        SqliteTransaction tx,
        TimeProvider time,
        Actor actor,
        string action,
        string target,
        string outcome,
        string? detail,
        long? registryVersion) =>
        Sql.Execute(
            c,
            tx,
            """
            INSERT INTO audit_log (at, actor_key_id, actor_name, action, target, outcome, detail, registry_version)
            VALUES ($at, $keyId, $name, $action, $target, $outcome, $detail, $version);
            """,
            ("$at", Sql.Time(time.GetUtcNow())),
            ("$keyId", actor.KeyId),
            ("$name", actor.Name),
            ("$action", action),
            ("$target", target),
            ("$outcome", outcome),
            ("$detail", detail),
            ("$version", registryVersion));
}
