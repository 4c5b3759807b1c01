using ExchangeGateway.MessageLog.Records;
using Microsoft.Data.Sqlite;

namespace ExchangeGateway.MessageLog.Storage;

/// <summary>
/// One item for the writer thread: a record to append, or a small write of the store's own (a checkpoint,
/// a stamp, a probe) that runs inside the next batch's transaction, so the database has one writer.
/// </summary>
internal sealed class PendingWrite
{
    private PendingWrite(MessageRecord? record, byte[]? canonical, Action<SqliteConnection, SqliteTransaction>? work, Action? afterCommit, bool alone)
    {
        Record = record;
        Canonical = canonical;
        Work = work;
        AfterCommit = afterCommit;
        Alone = alone;
        Bytes = record is null ? 0 : canonical!.Length + (record.Body?.Length ?? 0);
    }

    public MessageRecord? Record { get; }

    /// <summary>The canonical encoding with sequence 0; the writer patches the sequence in and hashes it.</summary>
    public byte[]? Canonical { get; }

    public Action<SqliteConnection, SqliteTransaction>? Work { get; }

    /// <summary>Runs on the writer thread after a successful commit, before the awaiter is released.</summary>
    public Action? AfterCommit { get; }

    public long Bytes { get; }

    /// <summary>Commits in a transaction of its own: a large maintenance write (archiving) whose failure must not fail records.</summary>
    public bool Alone { get; }

    /// <summary>The sequence the writer assigned; valid once the batch committed.</summary>
    public long Sequence { get; set; }

    // Continuations run on the thread pool, never inline on the writer thread.
    public TaskCompletionSource<AppendResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static PendingWrite Append(MessageRecord record, byte[] canonical) => new(record, canonical, null, null, false);

    public static PendingWrite Control(Action<SqliteConnection, SqliteTransaction> work, Action? afterCommit, bool alone = false) => new(null, null, work, afterCommit, alone);
}
