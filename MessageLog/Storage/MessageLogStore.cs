using System.Globalization;
using System.Runtime.InteropServices;
using System.Threading.Channels;
using ExchangeGateway.Common.Crypto.Merkle;
using ExchangeGateway.MessageLog.Records;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace ExchangeGateway.MessageLog.Storage;

/// <summary>
/// The message log's database: every request and response as a record with a durable, gapless sequence
/// number, the checkpoints over them, and the fail-closed state of time-stamping.
/// </summary>
/// <remarks>
/// <para>
/// One writer thread drains a queue into one transaction per batch (group commit): callers that arrive
/// while a commit is under way share the next fsync. Sequence numbers are assigned inside the
/// transaction, so a failed batch consumes none and the sequence stays gapless. An append completes only
/// after COMMIT returned: an acknowledged record is durable (HOUSE-STYLE: sequence durably first,
/// integrate and publish later).
/// </para>
/// <para>
/// Fail closed (ARCHITECTURE.md §7): when the oldest record not covered by a time-stamped checkpoint is
/// older than the acceptable time-stamp failure period, new <em>requests</em> are refused with
/// <see cref="LogFailure.TimestamperFailed"/> and nothing is written. Responses are still written: their
/// requests were accepted, and the response record is what lets the exchange finish with nothing
/// accepted lost. The refusal lifts by itself once a stamped checkpoint covers the backlog.
/// </para>
/// <para>
/// Queries use a second, read-only connection (WAL readers never wait for the writer). Thread-safe.
/// </para>
/// </remarks>
public sealed partial class MessageLogStore : IAsyncDisposable
{
    private const string InsertSql = """
        INSERT INTO record (seq, leaf_hash, logged_at, side, kind, at, request_id, message_id, client_id, service_id,
                            user_id, http_status, error_code, body_length, body_digest, head, signature, ocsp, body)
        VALUES ($seq, $leaf, $logged, $side, $kind, $at, $rid, $mid, $client, $service,
                $user, $status, $error, $blen, $bdigest, $head, $sig, $ocsp, $body);
        """;

    private readonly MessageLogOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SqliteConnection _writer;
    private readonly SqliteConnection _reader;
    private readonly Lock _readGate = new();
    private readonly Channel<PendingWrite> _queue;
    private readonly BacklogTracker _backlog = new();
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SqliteCommand _insert;
    private readonly SqliteParameter[] _parameters;
    private Thread? _thread;
    private long _nextSequence;
    private int _refusing;
    private int _disposed;
    private long _commits;
    private MessageLogProofs? _proofs;

    private MessageLogStore(MessageLogOptions options, string path, TimeProvider time, ILogger logger, SqliteConnection writer, SqliteConnection reader)
    {
        _options = options;
        DatabasePath = path;
        ArchiveDirectory = Path.GetFullPath(options.ArchiveDirectory ?? Path.Combine(Path.GetDirectoryName(path)!, "archives"));
        _time = time;
        _logger = logger;
        _writer = writer;
        _reader = reader;
        _queue = Channel.CreateBounded<PendingWrite>(new BoundedChannelOptions(options.QueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _insert = writer.CreateCommand();
        _insert.CommandText = InsertSql;
        _parameters =
        [
            _insert.Parameters.Add("$seq", SqliteType.Integer),
            _insert.Parameters.Add("$leaf", SqliteType.Blob),
            _insert.Parameters.Add("$logged", SqliteType.Integer),
            _insert.Parameters.Add("$side", SqliteType.Integer),
            _insert.Parameters.Add("$kind", SqliteType.Integer),
            _insert.Parameters.Add("$at", SqliteType.Integer),
            _insert.Parameters.Add("$rid", SqliteType.Blob),
            _insert.Parameters.Add("$mid", SqliteType.Text),
            _insert.Parameters.Add("$client", SqliteType.Text),
            _insert.Parameters.Add("$service", SqliteType.Text),
            _insert.Parameters.Add("$user", SqliteType.Text),
            _insert.Parameters.Add("$status", SqliteType.Integer),
            _insert.Parameters.Add("$error", SqliteType.Text),
            _insert.Parameters.Add("$blen", SqliteType.Integer),
            _insert.Parameters.Add("$bdigest", SqliteType.Blob),
            _insert.Parameters.Add("$head", SqliteType.Blob),
            _insert.Parameters.Add("$sig", SqliteType.Blob),
            _insert.Parameters.Add("$ocsp", SqliteType.Blob),
            _insert.Parameters.Add("$body", SqliteType.Blob),
        ];
    }

    /// <summary>The database file.</summary>
    public string DatabasePath { get; }

    /// <summary>Records committed (the highest sequence; sequences are gapless from 1).</summary>
    public long Count => _backlog.Committed;

    /// <summary>Records not yet covered by a time-stamped checkpoint.</summary>
    public long Backlog => _backlog.Backlog;

    /// <summary>When the oldest record not covered by a time-stamped checkpoint was committed; null when there is none.</summary>
    public DateTimeOffset? OldestUnstampedAt => _backlog.OldestUnstampedAt;

    /// <summary>The newest checkpoint, stamped or not; null before the first.</summary>
    public CheckpointStatus? LastCheckpoint => _backlog.LastCheckpoint;

    /// <summary>The newest time-stamped checkpoint; null before the first.</summary>
    public CheckpointStatus? LastStampedCheckpoint => _backlog.LastStampedCheckpoint;

    /// <summary>
    /// Opens or creates the log. Creates the directory (0700) and file (0600) when absent, switches to WAL,
    /// migrates the schema, recomputes the newest <see cref="MessageLogOptions.TailCheckCount"/> leaves
    /// (after a crash, WAL replay must have restored exactly the committed records), and starts the writer.
    /// A read-only file opens: appends then fail with <see cref="LogFailure.DatabaseError"/> and
    /// <see cref="IsWritableAsync"/> reports false.
    /// </summary>
    /// <exception cref="InvalidDataException">The tail does not recompute, has a gap, or a checkpoint covers records that are gone.</exception>
    /// <exception cref="InvalidOperationException">The file is not a message log, or its schema is newer than this code.</exception>
    /// <exception cref="SqliteException">The file cannot be opened at all.</exception>
    public static MessageLogStore Open(MessageLogOptions options, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        options.Validate();
        var path = Path.GetFullPath(options.DatabasePath);
        LogFiles.CreatePrivate(path);

        SqliteConnection? writer = null;
        SqliteConnection? reader = null;
        try
        {
            writer = LogFiles.Open(path, SqliteOpenMode.ReadWriteCreate, options.BusyTimeout);
            var synchronous = options.Synchronous == MessageLogSynchronous.Full ? "FULL" : "NORMAL";
            LogFiles.Execute(writer, null, $"PRAGMA journal_mode=WAL; PRAGMA synchronous={synchronous}; PRAGMA wal_autocheckpoint={options.WalAutoCheckpointPages.ToString(CultureInfo.InvariantCulture)};");
            Migrate(writer, time);
            reader = LogFiles.Open(path, SqliteOpenMode.ReadOnly, options.BusyTimeout);
            var store = new MessageLogStore(options, path, time, logger, writer, reader);
            try
            {
                store.Load();
                store.Start();
                return store;
            }
            catch
            {
                store._insert.Dispose();
                throw;
            }
        }
        catch
        {
            reader?.Dispose();
            writer?.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Appends a record. Completes after the batch holding it committed, with its sequence number, or with
    /// a failure value: <see cref="LogFailure.TimestamperFailed"/> (a request while time-stamping is past
    /// its period; nothing written), <see cref="LogFailure.DatabaseError"/> (the batch did not commit;
    /// nothing written), <see cref="LogFailure.Closed"/> (shutting down).
    /// </summary>
    /// <param name="record">The record; checked with <see cref="MessageRecord.Validate"/>.</param>
    /// <param name="cancellationToken">
    /// Stops only the wait for room in a full queue. Once queued, the record is written whatever the
    /// token says, and the task reports the outcome: a record must not be left in doubt.
    /// </param>
    /// <exception cref="ArgumentException">The record breaks its rules (a caller bug).</exception>
    public ValueTask<AppendResult> AppendAsync(MessageRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        var canonical = RecordEncoding.Encode(record);
        if (record.Kind == RecordKind.Request && !AdmitRequest())
        {
            return ValueTask.FromResult(AppendResult.Fail(
                LogFailure.TimestamperFailed,
                "no time-stamped checkpoint within the acceptable time-stamp failure period"));
        }

        var item = PendingWrite.Append(record, canonical);
        return _queue.Writer.TryWrite(item)
            ? new ValueTask<AppendResult>(item.Completion.Task)
            : EnqueueAsync(item, cancellationToken);
    }

    /// <summary>True when time-stamping is within its acceptable failure period at <paramref name="now"/>, so requests are accepted.</summary>
    public bool IsWithinPeriod(DateTimeOffset now) =>
        _backlog.OldestUnstampedAt is not { } oldest || now - oldest <= _options.TimeStampFailurePeriod();

    /// <summary>A snapshot of the time-stamping state, for health and metrics.</summary>
    public TimeStampingStatus GetTimeStampingStatus()
    {
        var now = _time.GetUtcNow();
        return new TimeStampingStatus(
            _backlog.Committed,
            _backlog.Backlog,
            _backlog.OldestUnstampedAt,
            _backlog.LastCheckpoint,
            _backlog.LastStampedCheckpoint,
            _options.TimeStampFailurePeriod(),
            IsWithinPeriod(now));
    }

    /// <summary>
    /// A write probe for readiness: commits a one-row update through the writer, like a record would be.
    /// False when the database cannot commit (locked, read-only, failing disk) or the store is closed.
    /// </summary>
    public async Task<bool> IsWritableAsync(CancellationToken cancellationToken = default)
    {
        var now = LogTime.ToUnixMicroseconds(_time.GetUtcNow());
        var result = await WriteControlAsync(
            (c, tx) =>
            {
                using var cmd = c.CreateCommand();
                cmd.Transaction = tx;
                // Always a new value: an update that changes nothing may write no page, and prove nothing.
                cmd.CommandText = "UPDATE log_info SET probed_at = max(probed_at + 1, $at) WHERE id = 1;";
                cmd.Parameters.AddWithValue("$at", now);
                cmd.ExecuteNonQuery();
            },
            null,
            cancellationToken).ConfigureAwait(false);
        return result.IsSuccess;
    }

    /// <summary>
    /// The record with sequence number <paramref name="sequence"/>, or null when there is none. An archived
    /// record is read back from its archive (<see cref="Read"/>): every field its leaf covers, and the body
    /// when one was archived and is readable here (decrypted with <see cref="MessageLogOptions.ArchiveDecryptionCertificates"/>).
    /// </summary>
    /// <exception cref="InvalidDataException">The record is archived and its archive is missing, unreadable or does not match the live leaf (<see cref="Read"/> returns that as a value).</exception>
    /// <exception cref="SqliteException">The database cannot be read.</exception>
    public LoggedRecord? Get(long sequence)
    {
        var read = Read(sequence);
        return read.Failure switch
        {
            RecordReadFailure.None => read.Record!.Logged,
            RecordReadFailure.UnknownSequence => null,
            _ => throw new InvalidDataException(read.Message),
        };
    }

    /// <summary>
    /// Reads record <paramref name="sequence"/> with where its body is: from the live log, or, once archived,
    /// from its archive file in <see cref="ArchiveDirectory"/>. An archived record's canonical bytes must hash
    /// to the live row's leaf, so what is returned is what the signed checkpoints cover; its body is returned
    /// when it was archived and either stored in the clear or decryptable with
    /// <see cref="MessageLogOptions.ArchiveDecryptionCertificates"/> (otherwise <see cref="RecordBodyState.Encrypted"/>).
    /// </summary>
    /// <returns>
    /// The record, or <see cref="RecordReadFailure.UnknownSequence"/>, <see cref="RecordReadFailure.ArchiveUnavailable"/>
    /// (its archive file is not in the directory) or <see cref="RecordReadFailure.ArchiveInvalid"/>.
    /// </returns>
    /// <exception cref="InvalidDataException">The live row itself is malformed (corruption or tampering: run the verifier).</exception>
    /// <exception cref="SqliteException">The database cannot be read.</exception>
    public RecordReadResult Read(long sequence)
    {
        LoggedRecord row;
        long state;
        long? archiveId;
        string? fileName = null;
        lock (_readGate)
        {
            using var cmd = _reader.CreateCommand();
            cmd.CommandText = $"SELECT {LogSchema.RecordColumns}, body_state, archive_id FROM record WHERE seq = $seq;";
            cmd.Parameters.AddWithValue("$seq", sequence);
            using var r = cmd.ExecuteReader();
            if (!r.Read())
            {
                return RecordReadResult.Fail(RecordReadFailure.UnknownSequence, sequence, null, $"the log has no record {sequence.ToString(CultureInfo.InvariantCulture)}");
            }

            try
            {
                row = LogRows.ReadRecord(r);
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidCastException or OverflowException)
            {
                throw new InvalidDataException($"Message log record {sequence.ToString(CultureInfo.InvariantCulture)} is malformed: {ex.Message}. Run the verifier.", ex);
            }

            state = r.GetInt64(LogSchema.RecordColumnCount);
            archiveId = r.IsDBNull(LogSchema.RecordColumnCount + 1) ? null : r.GetInt64(LogSchema.RecordColumnCount + 1);
            if (state == LogSchema.RecordArchived && archiveId is { } id)
            {
                fileName = LogFiles.Scalar<string>(_reader, null, "SELECT file_name FROM archive WHERE id = $id;", ("$id", id));
            }
        }

        switch (state)
        {
            case LogSchema.BodyAsWritten:
                return RecordReadResult.Ok(new StoredRecord(row, row.Record.Body is null ? RecordBodyState.NotLogged : RecordBodyState.Present, null));
            case LogSchema.BodyErased:
                return RecordReadResult.Ok(new StoredRecord(row, RecordBodyState.Erased, null));
            case LogSchema.RecordArchived when archiveId is { } id && fileName is not null:
                return Archiving.ArchivedRecords.Read(ArchiveDirectory, id, fileName, sequence, row.LeafHash, row.LoggedAt, _options.ArchiveDecryptionCertificates);
            case LogSchema.RecordArchived:
                return RecordReadResult.Fail(RecordReadFailure.ArchiveInvalid, sequence, archiveId, $"record {sequence.ToString(CultureInfo.InvariantCulture)} is archived but the archive table has no archive {archiveId?.ToString(CultureInfo.InvariantCulture) ?? "(none named)"}");
            default:
                throw new InvalidDataException($"Message log record {sequence.ToString(CultureInfo.InvariantCulture)} has body state {state.ToString(CultureInfo.InvariantCulture)}, not 0, 1 or 2. Run the verifier.");
        }
    }

    /// <summary>Where the archives of this log are (<see cref="MessageLogOptions.ArchiveDirectory"/>, full path).</summary>
    public string ArchiveDirectory { get; }

    /// <summary>
    /// The requests that <paramref name="side"/> logged at or after <paramref name="since"/>, oldest
    /// first: what the replay cache must know after a restart.
    /// </summary>
    /// <exception cref="SqliteException">The database cannot be read.</exception>
    public IReadOnlyList<RecentRequest> RecentRequests(RecordSide side, DateTimeOffset since)
    {
        lock (_readGate)
        {
            using var cmd = _reader.CreateCommand();
            cmd.CommandText = "SELECT client_id, message_id, at FROM record WHERE side = $side AND kind = 1 AND at >= $since ORDER BY at, seq;";
            cmd.Parameters.AddWithValue("$side", (int)side);
            cmd.Parameters.AddWithValue("$since", LogTime.ToUnixMicroseconds(since));
            using var r = cmd.ExecuteReader();
            var list = new List<RecentRequest>();
            while (r.Read())
            {
                list.Add(new RecentRequest(r.GetString(0), r.GetString(1), LogTime.FromUnixMicroseconds(r.GetInt64(2))));
            }

            return list;
        }
    }

    /// <summary>The checkpoint of exactly <paramref name="treeSize"/> records, or null.</summary>
    /// <exception cref="SqliteException">The database cannot be read.</exception>
    public StoredCheckpoint? GetCheckpoint(long treeSize) =>
        QueryCheckpoint("WHERE tree_size = $size", treeSize)?.Checkpoint;

    /// <summary>The newest checkpoint, stamped or not, or null before the first.</summary>
    /// <exception cref="SqliteException">The database cannot be read.</exception>
    public StoredCheckpoint? GetLatestCheckpoint() =>
        QueryCheckpoint("ORDER BY tree_size DESC LIMIT 1", null)?.Checkpoint;

    /// <summary>
    /// Inclusion and consistency proofs served from this log, through a read-only connection of their own
    /// that is opened on first use and closed with the store.
    /// </summary>
    /// <exception cref="SqliteException">The database cannot be opened read-only.</exception>
    /// <exception cref="ObjectDisposedException">The store is disposed.</exception>
    public MessageLogProofs Proofs
    {
        get
        {
            lock (_readGate)
            {
                ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);
                return _proofs ??= MessageLogProofs.Open(DatabasePath, _options.BusyTimeout);
            }
        }
    }

    /// <summary>Stops taking records, commits everything queued, and closes the database.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _queue.Writer.TryComplete();
        if (_thread is not null)
        {
            await _stopped.Task.ConfigureAwait(false);
        }

        // The reader closes first so that the writer is the last connection: SQLite then checkpoints
        // the WAL into the database and removes it, and a cleanly closed log is one file.
        lock (_readGate)
        {
            _proofs?.Dispose();
            _reader.Dispose();
        }

        _insert.Dispose();
        _writer.Dispose();
    }

    /// <summary>Transactions committed since open (group-commit metric: records per commit).</summary>
    public long CommitCount => Interlocked.Read(ref _commits);

    /// <summary>Leaf hashes with sequence above <paramref name="afterSequence"/>, in order, at most <paramref name="max"/>.</summary>
    internal List<(long Sequence, MerkleHash Leaf)> ReadLeaves(long afterSequence, int max)
    {
        lock (_readGate)
        {
            using var cmd = _reader.CreateCommand();
            cmd.CommandText = "SELECT seq, leaf_hash FROM record WHERE seq > $after ORDER BY seq LIMIT $max;";
            cmd.Parameters.AddWithValue("$after", afterSequence);
            cmd.Parameters.AddWithValue("$max", max);
            using var r = cmd.ExecuteReader();
            var list = new List<(long, MerkleHash)>();
            while (r.Read())
            {
                var bytes = LogRows.Blob(r, 1);
                if (!MerkleHash.TryCreate(bytes, out var leaf))
                {
                    throw new InvalidDataException($"The stored leaf hash of record {r.GetInt64(0).ToString(CultureInfo.InvariantCulture)} is not 32 bytes.");
                }

                list.Add((r.GetInt64(0), leaf));
            }

            return list;
        }
    }

    /// <summary>The newest checkpoint with the tree frontier stored beside it, or null.</summary>
    internal (StoredCheckpoint Checkpoint, byte[] Frontier)? NewestCheckpointWithFrontier() =>
        QueryCheckpoint("ORDER BY tree_size DESC LIMIT 1", null);

    /// <summary>Stores a new, signed, unstamped checkpoint through the writer.</summary>
    internal Task<AppendResult> AddCheckpointAsync(StoredCheckpoint checkpoint, byte[] frontier, CancellationToken cancellationToken)
    {
        return WriteControlAsync(
            (c, tx) =>
            {
                using var cmd = c.CreateCommand();
                cmd.Transaction = tx;
                cmd.CommandText = """
                    INSERT INTO checkpoint (tree_size, root_hash, created_at, content, signature, frontier)
                    VALUES ($size, $root, $created, $content, $sig, $frontier);
                    """;
                cmd.Parameters.AddWithValue("$size", checkpoint.TreeSize);
                cmd.Parameters.AddWithValue("$root", checkpoint.RootHash.ToArray());
                cmd.Parameters.AddWithValue("$created", LogTime.ToUnixMicroseconds(checkpoint.CreatedAt));
                cmd.Parameters.AddWithValue("$content", checkpoint.Content.ToArray());
                cmd.Parameters.AddWithValue("$sig", checkpoint.Signature.ToArray());
                cmd.Parameters.AddWithValue("$frontier", frontier);
                cmd.ExecuteNonQuery();
            },
            () => _backlog.CheckpointAdded(checkpoint.ToStatus()),
            cancellationToken);
    }

    /// <summary>Stores the time-stamp of <paramref name="checkpoint"/> and releases the backlog it covers.</summary>
    internal Task<AppendResult> SetStampAsync(StoredCheckpoint checkpoint, ReadOnlyMemory<byte> token, DateTimeOffset stampedAt, string tsaUrl, CancellationToken cancellationToken)
    {
        var status = new CheckpointStatus(checkpoint.TreeSize, checkpoint.CreatedAt, LogTime.Truncate(stampedAt));
        return WriteControlAsync(
            (c, tx) =>
            {
                using var cmd = c.CreateCommand();
                cmd.Transaction = tx;
                cmd.CommandText = "UPDATE checkpoint SET token = $token, stamped_at = $at, tsa_url = $url WHERE tree_size = $size;";
                cmd.Parameters.AddWithValue("$token", token.ToArray());
                cmd.Parameters.AddWithValue("$at", LogTime.ToUnixMicroseconds(stampedAt));
                cmd.Parameters.AddWithValue("$url", tsaUrl);
                cmd.Parameters.AddWithValue("$size", checkpoint.TreeSize);
                if (cmd.ExecuteNonQuery() != 1)
                {
                    throw new InvalidOperationException($"Checkpoint {checkpoint.TreeSize.ToString(CultureInfo.InvariantCulture)} is not stored.");
                }
            },
            () => _backlog.Stamped(status),
            cancellationToken);
    }

    private static void Migrate(SqliteConnection connection, TimeProvider time)
    {
        // Read first: an up-to-date database opens without a write, so a read-only file still opens.
        var version = LogFiles.Scalar<long>(connection, null, "PRAGMA user_version;");
        if (version > LogSchema.Version)
        {
            throw new InvalidOperationException(
                $"The message log has schema version {version.ToString(CultureInfo.InvariantCulture)}, newer than this program understands ({LogSchema.Version.ToString(CultureInfo.InvariantCulture)}). Use a newer release.");
        }

        if (version < LogSchema.Version)
        {
            using var tx = connection.BeginTransaction(deferred: false);
            version = LogFiles.Scalar<long>(connection, tx, "PRAGMA user_version;");
            if (version == 0)
            {
                var tables = LogFiles.Scalar<long>(connection, tx, "SELECT COUNT(*) FROM sqlite_schema;");
                if (tables != 0)
                {
                    throw new InvalidOperationException("The file is an SQLite database but not a message log; refusing to add tables to it.");
                }

                LogFiles.Execute(connection, tx, LogSchema.V1);
                using var cmd = connection.CreateCommand();
                cmd.Transaction = tx;
                cmd.CommandText = "INSERT INTO log_info (id, format, created_at, probed_at) VALUES (1, $format, $at, $at);";
                cmd.Parameters.AddWithValue("$format", LogSchema.Format);
                cmd.Parameters.AddWithValue("$at", LogTime.ToUnixMicroseconds(time.GetUtcNow()));
                cmd.ExecuteNonQuery();
            }

            if (version < 2)
            {
                LogFiles.Execute(connection, tx, LogSchema.V2);
            }

            LogFiles.Execute(connection, tx, $"PRAGMA user_version = {LogSchema.Version.ToString(CultureInfo.InvariantCulture)};");
            tx.Commit();
        }

        var format = LogFiles.Scalar<string>(connection, null, "SELECT format FROM log_info WHERE id = 1;");
        if (!string.Equals(format, LogSchema.Format, StringComparison.Ordinal))
        {
            throw new InvalidOperationException("The file is not a message log (log_info.format differs).");
        }
    }

    private void Load()
    {
        var committed = LogFiles.Scalar<long?>(_reader, null, "SELECT MAX(seq) FROM record;") ?? 0;
        CheckTail(committed);

        var newest = QueryCheckpoint("ORDER BY tree_size DESC LIMIT 1", null)?.Checkpoint;
        var stamped = QueryCheckpoint("WHERE token IS NOT NULL ORDER BY tree_size DESC LIMIT 1", null)?.Checkpoint;
        if (newest is not null && newest.TreeSize > committed)
        {
            throw new InvalidDataException(
                $"Checkpoint {newest.TreeSize.ToString(CultureInfo.InvariantCulture)} covers more records than the log holds ({committed.ToString(CultureInfo.InvariantCulture)}): committed records are missing. Run the verifier.");
        }

        var stampedSize = stamped?.TreeSize ?? 0;
        DateTimeOffset? oldest = null;
        if (committed > stampedSize)
        {
            var loggedAt = LogFiles.Scalar<long?>(_reader, null, "SELECT logged_at FROM record WHERE seq = $seq;", ("$seq", stampedSize + 1));
            oldest = loggedAt is { } us ? LogTime.FromUnixMicroseconds(us) : _time.GetUtcNow();
        }

        _backlog.Seed(committed, newest?.ToStatus(), stamped?.ToStatus(), oldest);
        _nextSequence = committed + 1;
        MessageLogEvents.Opened(_logger, DatabasePath, committed, stampedSize);
    }

    // SQLite's WAL makes each transaction all-or-nothing, so a crash can lose only uncommitted batches. A
    // tail that does not recompute therefore means corruption or tampering: refuse to open, never repair.
    private void CheckTail(long committed)
    {
        var count = Math.Min(_options.TailCheckCount, committed);
        if (count == 0)
        {
            return;
        }

        using var cmd = _reader.CreateCommand();
        cmd.CommandText = $"SELECT {LogSchema.RecordColumns}, body_state FROM record WHERE seq > $from ORDER BY seq;";
        cmd.Parameters.AddWithValue("$from", committed - count);
        using var r = cmd.ExecuteReader();
        var expected = committed - count + 1;
        while (r.Read())
        {
            var seq = r.GetInt64(0);
            if (seq != expected)
            {
                throw new InvalidDataException($"Message log record {expected.ToString(CultureInfo.InvariantCulture)} is missing. Run the verifier.");
            }

            LoggedRecord row;
            try
            {
                row = LogRows.ReadRecord(r);
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidCastException or OverflowException)
            {
                throw new InvalidDataException($"Message log record {seq.ToString(CultureInfo.InvariantCulture)} is malformed: {ex.Message}. Run the verifier.", ex);
            }

            // An archived row's content is in its archive: its leaf is all there is to read here, and the
            // verifier with the archive directory checks the archive against it.
            if (r.GetInt64(LogSchema.RecordColumnCount) != LogSchema.RecordArchived && RecordEncoding.LeafHash(seq, row.Record) != row.LeafHash)
            {
                throw new InvalidDataException($"Message log record {seq.ToString(CultureInfo.InvariantCulture)} does not match its leaf hash. Run the verifier.");
            }

            expected++;
        }

        if (expected != committed + 1)
        {
            throw new InvalidDataException($"Message log record {expected.ToString(CultureInfo.InvariantCulture)} is missing. Run the verifier.");
        }
    }

    private (StoredCheckpoint Checkpoint, byte[] Frontier)? QueryCheckpoint(string clause, long? treeSize)
    {
        lock (_readGate)
        {
            using var cmd = _reader.CreateCommand();
            cmd.CommandText = $"SELECT {LogSchema.CheckpointColumns}, frontier FROM checkpoint {clause};";
            if (treeSize is { } size)
            {
                cmd.Parameters.AddWithValue("$size", size);
            }

            using var r = cmd.ExecuteReader();
            return r.Read() ? (LogRows.ReadCheckpoint(r), LogRows.Blob(r, 8)) : null;
        }
    }

    private void Start()
    {
        _thread = new Thread(WriterLoop)
        {
            IsBackground = true,
            Name = "message-log-writer",
        };
        _thread.Start();
    }

    private bool AdmitRequest()
    {
        var now = _time.GetUtcNow();
        if (IsWithinPeriod(now))
        {
            if (Volatile.Read(ref _refusing) == 1 && Interlocked.Exchange(ref _refusing, 0) == 1)
            {
                MessageLogEvents.AcceptingRequests(_logger);
            }

            return true;
        }

        // Reported once when the refusal starts, not once per refused request (HOUSE-STYLE habit 8).
        if (Interlocked.Exchange(ref _refusing, 1) == 0)
        {
            MessageLogEvents.RefusingRequests(_logger, _backlog.OldestUnstampedAt ?? now, _options.TimeStampFailurePeriod(), _backlog.Backlog);
        }

        return false;
    }

    private async ValueTask<AppendResult> EnqueueAsync(PendingWrite item, CancellationToken cancellationToken)
    {
        try
        {
            await _queue.Writer.WriteAsync(item, cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            return AppendResult.Fail(LogFailure.Closed, "the message log is closed");
        }

        return await item.Completion.Task.ConfigureAwait(false);
    }

    private async Task<AppendResult> WriteControlAsync(Action<SqliteConnection, SqliteTransaction> work, Action? afterCommit, CancellationToken cancellationToken)
    {
        var item = PendingWrite.Control(work, afterCommit);
        return await EnqueueAsync(item, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs <paramref name="work"/> through the writer in a transaction of its own (records queued meanwhile
    /// wait for it, then commit in the next): the archiver's and body retention's changes, so the database
    /// keeps one writer. A <see cref="SqliteException"/> from the work rolls it back and returns
    /// <see cref="LogFailure.DatabaseError"/>.
    /// </summary>
    internal async Task<AppendResult> WriteAloneAsync(Action<SqliteConnection, SqliteTransaction> work, CancellationToken cancellationToken)
    {
        var item = PendingWrite.Control(work, null, alone: true);
        return await EnqueueAsync(item, cancellationToken).ConfigureAwait(false);
    }

    private void WriterLoop()
    {
        var reader = _queue.Reader;
        var batch = new List<PendingWrite>(_options.MaxBatch);
        try
        {
            while (WaitToRead(reader))
            {
                long bytes = 0;
                while (batch.Count < _options.MaxBatch
                    && reader.TryPeek(out var next)
                    && (batch.Count == 0 || (bytes + next.Bytes <= _options.MaxBatchBytes && !next.Alone && !batch[0].Alone))
                    && reader.TryRead(out next))
                {
                    batch.Add(next);
                    bytes += next.Bytes;
                }

                Commit(batch);
                batch.Clear();
            }
        }
        finally
        {
            _stopped.TrySetResult();
        }
    }

    // The writer owns a dedicated thread: SQLite calls and fsync block, and must not hold pool threads.
    private static bool WaitToRead(ChannelReader<PendingWrite> reader)
    {
        var wait = reader.WaitToReadAsync();
        return wait.IsCompletedSuccessfully ? wait.Result : wait.AsTask().GetAwaiter().GetResult();
    }

    private void Commit(List<PendingWrite> batch)
    {
        var now = _time.GetUtcNow();
        var loggedAt = LogTime.ToUnixMicroseconds(now);
        var sequence = _nextSequence;
        try
        {
            using (var tx = _writer.BeginTransaction(deferred: false))
            {
                _insert.Transaction = tx;
                foreach (var item in batch)
                {
                    if (item.Work is { } work)
                    {
                        work(_writer, tx);
                        continue;
                    }

                    Insert(item, sequence, loggedAt);
                    item.Sequence = sequence++;
                }

                tx.Commit();
            }
        }
        catch (SqliteException ex)
        {
            Fail(batch, ex.Message);
            return;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A bug, but the writer thread must live on: if it died, every later append would wait forever.
            MessageLogEvents.WriterBug(_logger, ex);
            Fail(batch, "internal error in the message log writer");
            return;
        }

        Interlocked.Increment(ref _commits);
        if (sequence != _nextSequence)
        {
            _nextSequence = sequence;
            _backlog.RecordCommit(sequence - 1, now);
        }

        foreach (var item in batch)
        {
            item.AfterCommit?.Invoke();
            item.Completion.TrySetResult(AppendResult.Ok(item.Sequence));
        }
    }

    private void Fail(List<PendingWrite> batch, string reason)
    {
        MessageLogEvents.CommitFailed(_logger, batch.Count, reason);
        var failure = AppendResult.Fail(LogFailure.DatabaseError, reason);
        foreach (var item in batch)
        {
            item.Completion.TrySetResult(failure);
        }
    }

    private void Insert(PendingWrite item, long sequence, long loggedAt)
    {
        var record = item.Record!;
        var canonical = item.Canonical!;
        RecordEncoding.SetSequence(canonical, sequence);
        var p = _parameters;
        p[0].Value = sequence;
        p[1].Value = MerkleHasher.HashLeaf(canonical).ToArray();
        p[2].Value = loggedAt;
        p[3].Value = (int)record.Side;
        p[4].Value = (int)record.Kind;
        p[5].Value = LogTime.ToUnixMicroseconds(record.At);
        p[6].Value = record.RequestId.ToByteArray(bigEndian: true);
        p[7].Value = record.MessageId;
        p[8].Value = record.ClientId;
        p[9].Value = record.ServiceId;
        p[10].Value = (object?)record.UserId ?? DBNull.Value;
        p[11].Value = record.HttpStatus is { } status ? status : DBNull.Value;
        p[12].Value = (object?)record.ErrorCode ?? DBNull.Value;
        p[13].Value = record.BodyLength;
        p[14].Value = Array(record.BodyDigest);
        p[15].Value = Array(record.Head);
        p[16].Value = Array(record.Signature);
        p[17].Value = Array(record.Ocsp);
        p[18].Value = record.Body is { } body ? Array(body) : DBNull.Value;
        _insert.ExecuteNonQuery();
    }

    // Microsoft.Data.Sqlite binds byte[] only; reuse the caller's array when the memory is all of it.
    private static byte[] Array(ReadOnlyMemory<byte> memory) =>
        MemoryMarshal.TryGetArray(memory, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : memory.ToArray();
}
