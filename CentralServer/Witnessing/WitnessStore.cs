using ExchangeGateway.CentralServer.Audit;
using ExchangeGateway.CentralServer.Errors;
using ExchangeGateway.CentralServer.Registration;
using ExchangeGateway.CentralServer.Storage;
using ExchangeGateway.Common.Crypto.Merkle;
using ExchangeGateway.MessageLog.Records;
using Microsoft.Data.Sqlite;

namespace ExchangeGateway.CentralServer.Witnessing;

/// <summary>
/// Witnessing in the registry database: the newest accepted checkpoint and statement per server
/// (<c>witness_statement</c>) and refused submissions (<c>witness_refusal</c>). A decision about a server's
/// history is taken inside the transaction that stores its outcome, so two submissions for one server cannot
/// both extend the same statement. Refusals that say the history changed (<c>witness.rollback</c>,
/// <c>witness.inconsistent</c>) are audited in that same transaction and kept for ever; other refusals come
/// from a public endpoint and only the newest <see cref="KeptRoutineRefusals"/> are kept.
/// </summary>
internal sealed class WitnessStore
{
    /// <summary>How many refusals other than rollback and inconsistency are kept (the oldest go first).</summary>
    public const int KeptRoutineRefusals = 10_000;

    /// <summary>The audit action of a refusal that says a server's history changed.</summary>
    public const string AuditAction = "witness.checkpoint";

    private readonly RegistryDatabase _db;
    private readonly TimeProvider _time;

    public WitnessStore(RegistryDatabase db, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(time);
        _db = db;
        _time = time;
    }

    /// <summary>The newest statement for <paramref name="serverId"/> (canonical text), or null.</summary>
    internal SignedStatement? Latest(string serverId) =>
        _db.Read((c, tx) => Sql.Query(
            c,
            tx,
            "SELECT statement, signature FROM witness_statement WHERE server_id = $server;",
            r => new SignedStatement((byte[])r.GetValue(0), (byte[])r.GetValue(1)),
            ("$server", serverId)).SingleOrDefault());

    /// <summary>
    /// Decides a verified submission against the last witnessed checkpoint, in one write transaction:
    /// <paramref name="decide"/> gets the last witness (null when none) and returns the statement to store or
    /// the refusal. A statement replaces the previous one; a refusal is recorded and the statement stays.
    /// </summary>
    internal Result<SignedStatement> Decide(SubmittedCheckpoint submitted, Func<LastWitness?, Result<SignedStatement>> decide, Actor actor)
    {
        ArgumentNullException.ThrowIfNull(submitted);
        ArgumentNullException.ThrowIfNull(decide);
        var checkpoint = submitted.Checkpoint ?? throw new ArgumentException("Only a decoded submission can be decided.", nameof(submitted));
        return _db.Write(
            (c, tx) =>
            {
                var last = Sql.Query(
                    c,
                    tx,
                    "SELECT tree_size, root_hash FROM witness_statement WHERE server_id = $server;",
                    r => new LastWitness(r.GetInt64(0), new MerkleHash(Convert.FromHexString(r.GetString(1)))),
                    ("$server", checkpoint.ServerId)).Select(w => (LastWitness?)w).SingleOrDefault();
                var outcome = decide(last);
                if (!outcome.Success)
                {
                    Refuse(c, tx, submitted, outcome.Failure, actor);
                    return outcome;
                }

                Sql.Execute(
                    c,
                    tx,
                    """
                    INSERT INTO witness_statement (server_id, tree_size, root_hash, checkpoint_created_at, witnessed_at, checkpoint,
                        checkpoint_signature, time_stamp_token, statement, signature)
                    VALUES ($server, $size, $root, $created, $witnessed, $checkpoint, $cpSig, $token, $statement, $signature)
                    ON CONFLICT (server_id) DO UPDATE SET tree_size = excluded.tree_size, root_hash = excluded.root_hash,
                        checkpoint_created_at = excluded.checkpoint_created_at, witnessed_at = excluded.witnessed_at,
                        checkpoint = excluded.checkpoint, checkpoint_signature = excluded.checkpoint_signature,
                        time_stamp_token = excluded.time_stamp_token, statement = excluded.statement, signature = excluded.signature;
                    """,
                    ("$server", checkpoint.ServerId),
                    ("$size", checkpoint.TreeSize),
                    ("$root", checkpoint.RootHash.ToString()),
                    ("$created", Sql.Time(checkpoint.CreatedAt)),
                    ("$witnessed", Sql.Time(outcome.Value!.WitnessedAt ?? _time.GetUtcNow())),
                    ("$checkpoint", submitted.Content),
                    ("$cpSig", submitted.Signature),
                    ("$token", submitted.TimeStampToken),
                    ("$statement", outcome.Value.Statement),
                    ("$signature", outcome.Value.Signature));
                return outcome;
            },
            // A refusal commits too: its record is the point.
            static _ => true);
    }

    /// <summary>Records a refusal decided before the server's history was looked at (malformed, unknown server, bad signature).</summary>
    internal void Refuse(SubmittedCheckpoint submitted, Failure failure, Actor actor)
    {
        ArgumentNullException.ThrowIfNull(submitted);
        ArgumentNullException.ThrowIfNull(failure);
        _db.Write(
            (c, tx) =>
            {
                Refuse(c, tx, submitted, failure, actor);
                return true;
            },
            static _ => true);
    }

    /// <summary>Every server with a statement or a refusal, by id, with its last witness and refusal count.</summary>
    internal IReadOnlyList<WitnessedServer> List() =>
        _db.Read((c, tx) => Sql.Query(
            c,
            tx,
            """
            SELECT ids.server_id, w.tree_size, w.root_hash, w.checkpoint_created_at, w.witnessed_at,
                   (SELECT COUNT(*) FROM witness_refusal r WHERE r.server_id = ids.server_id),
                   last.at, last.code, last.message, last.tree_size
            FROM (SELECT server_id FROM witness_statement UNION SELECT server_id FROM witness_refusal) ids
            LEFT JOIN witness_statement w ON w.server_id = ids.server_id
            LEFT JOIN witness_refusal last ON last.seq = (SELECT MAX(seq) FROM witness_refusal r WHERE r.server_id = ids.server_id)
            ORDER BY ids.server_id;
            """,
            r => new WitnessedServer(
                r.GetString(0),
                r.IsDBNull(1) ? null : r.GetInt64(1),
                Sql.NullableString(r, 2),
                Sql.NullableString(r, 3) is { } created ? Sql.ParseTime(created) : null,
                Sql.NullableString(r, 4) is { } witnessed ? Sql.ParseTime(witnessed) : null,
                r.GetInt64(5),
                r.IsDBNull(6) ? null : new WitnessRefusal(Sql.ParseTime(r.GetString(6)), r.GetString(7), r.GetString(8), r.IsDBNull(9) ? null : r.GetInt64(9)))));

    private void Refuse(SqliteConnection c, SqliteTransaction tx, SubmittedCheckpoint submitted, Failure failure, Actor actor)
    {
        Sql.Execute(
            c,
            tx,
            """
            INSERT INTO witness_refusal (at, server_id, code, message, tree_size, from_size, checkpoint, checkpoint_signature, time_stamp_token, consistency)
            VALUES ($at, $server, $code, $message, $size, $from, $checkpoint, $cpSig, $token, $consistency);
            """,
            ("$at", Sql.Time(_time.GetUtcNow())),
            ("$server", submitted.Server),
            ("$code", failure.Code),
            ("$message", failure.Message),
            ("$size", submitted.Checkpoint?.TreeSize),
            ("$from", submitted.FromSize),
            ("$checkpoint", submitted.Content),
            ("$cpSig", submitted.Signature),
            ("$token", submitted.TimeStampToken),
            ("$consistency", submitted.ConsistencyText));
        if (ChangesHistory(failure.Kind))
        {
            var target = submitted.Checkpoint is { } checkpoint
                ? $"{submitted.Server} {checkpoint.TreeSize} {LogTime.Format(checkpoint.CreatedAt)}"
                : submitted.Server;
            AuditLog.Append(c, tx, _time, actor, AuditAction, target, failure.Code, failure.Message, null);
            return;
        }

        Sql.Execute(
            c,
            tx,
            "DELETE FROM witness_refusal WHERE code NOT IN ($rollback, $inconsistent) AND seq <= (SELECT MAX(seq) FROM witness_refusal) - $keep;",
            ("$rollback", ErrorCatalog.Code(FailureKind.WitnessRollback)),
            ("$inconsistent", ErrorCatalog.Code(FailureKind.WitnessInconsistent)),
            ("$keep", KeptRoutineRefusals));
    }

    private static bool ChangesHistory(FailureKind kind) => kind is FailureKind.WitnessRollback or FailureKind.WitnessInconsistent;
}
