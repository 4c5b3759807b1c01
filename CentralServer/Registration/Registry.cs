using ExchangeGateway.CentralServer.Audit;
using ExchangeGateway.CentralServer.Errors;
using ExchangeGateway.CentralServer.Storage;
using Microsoft.Data.Sqlite;

namespace ExchangeGateway.CentralServer.Registration;

/// <summary>
/// The registry of the federation: member classes, members, subsystems, security servers, approved CAs and
/// TSAs, global groups. Every successful <see cref="Change{T}"/> increments <see cref="Version"/> and writes
/// its audit entry in the same transaction; <see cref="ReadSnapshot"/> reads everything at one version.
/// A configuration generator reads a snapshot, and waits for the next one with <see cref="WaitForChangeAsync"/>.
/// </summary>
public sealed class Registry
{
    private readonly RegistryDatabase _db;
    private readonly TimeProvider _time;
    private TaskCompletionSource _changed = NewSignal();

    /// <summary>Creates the registry over an opened database.</summary>
    public Registry(RegistryDatabase db, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(time);
        _db = db;
        _time = time;
        InstanceId = db.InstanceId;
    }

    /// <summary>The X-Road instance this Central Server runs.</summary>
    public string InstanceId { get; }

    /// <summary>The current registry version (0 for an empty registry).</summary>
    public long Version => _db.Read(ReadVersion);

    /// <summary>Everything in the registry, read in one transaction, with its version.</summary>
    public RegistrySnapshot ReadSnapshot() => _db.Read((c, tx) => new RegistryReader(c, tx).Snapshot());

    /// <summary>Runs a read in one transaction.</summary>
    public T Read<T>(Func<RegistryReader, T> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        return _db.Read((c, tx) => read(new RegistryReader(c, tx)));
    }

    /// <summary>
    /// Runs <paramref name="edit"/> in one write transaction. On success the version is incremented and
    /// the audit entry written before commit; on failure everything is rolled back and the refusal is
    /// audited on its own. <paramref name="action"/> and <paramref name="target"/> name the change for the
    /// audit log (e.g. <c>member.create</c>, <c>EE/GOV/123</c>).
    /// </summary>
    public Result<T> Change<T>(Actor actor, string action, string target, Func<RegistryEditor, Result<T>> edit)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentException.ThrowIfNullOrEmpty(action);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(edit);
        var result = _db.Write(
            (c, tx) =>
            {
                var outcome = edit(new RegistryEditor(c, tx, InstanceId));
                if (outcome.Success)
                {
                    var version = ReadVersion(c, tx) + 1;
                    Sql.Execute(c, tx, "UPDATE registry_state SET version = $v WHERE id = 1;", ("$v", version));
                    AuditLog.Append(c, tx, _time, actor, action, target, AuditEntry.Success, null, version);
                }

                return outcome;
            },
            static outcome => outcome.Success);

        if (result.Success)
        {
            Interlocked.Exchange(ref _changed, NewSignal()).TrySetResult();
        }
        else
        {
            _db.Write(
                (c, tx) =>
                {
                    AuditLog.Append(c, tx, _time, actor, action, target, result.Failure.Code, result.Failure.Message, null);
                    return true;
                },
                static _ => true);
        }

        return result;
    }

    /// <summary>Completes when the version is above <paramref name="knownVersion"/> (at once if it already is).</summary>
    public async Task WaitForChangeAsync(long knownVersion, CancellationToken cancellationToken)
    {
        while (true)
        {
            // Take the signal before reading the version, so a change between the two is not missed.
            var signal = Volatile.Read(ref _changed).Task;
            if (Version > knownVersion)
            {
                return;
            }

            await signal.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static long ReadVersion(SqliteConnection c, SqliteTransaction tx) =>
        Sql.Scalar<long>(c, tx, "SELECT version FROM registry_state WHERE id = 1;");

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
