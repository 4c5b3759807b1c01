using System.Security.Cryptography;
using ExchangeGateway.Common.Crypto.TimeStamping;
using ExchangeGateway.Common.Crypto.X509;
using ExchangeGateway.MessageLog.Integration;
using ExchangeGateway.MessageLog.Records;
using ExchangeGateway.MessageLog.Storage;
using Microsoft.Data.Sqlite;

namespace ExchangeGateway.MessageLog.Verification;

/// <summary>
/// Verifies the part of a live message log after a <see cref="LogPosition"/>, in bounded steps (the security
/// server's integrity monitor calls it every interval). Stateless: the caller keeps the position. Opens the
/// database read-only, reads in one transaction, and never changes anything.
/// </summary>
/// <remarks>
/// In sequence order from the position: the sequence is gapless; each record's leaf is recomputed from its
/// stored fields (<see cref="RecordEncoding"/>) and must equal the stored leaf (an archived record, whose
/// content is in its archive file, contributes its stored leaf); a stored body must hash to its digest. The
/// leaves are folded onto the position's frontier, and each checkpoint reached is checked: its canonical
/// bytes parse, agree with its columns and name the server; its root is the folded root; its CMS signature
/// verifies to the approved CAs (and <see cref="LogIntegrityOptions.CheckSigner"/> accepts the signer); its
/// time-stamp, when present, verifies over SHA-256 of the signature against the approved TSAs. A run stops at
/// the newest checkpoint (or <see cref="LogIntegrityOptions.UpTo"/>) or when a bound is reached.
/// </remarks>
public static class LogIntegrityVerifier
{
    private static readonly TimeSpan BusyTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Continues from <paramref name="from"/>.</summary>
    /// <param name="databasePath">The message log.</param>
    /// <param name="from">Records 1 to its size were verified before; its frontier is trusted.</param>
    /// <param name="options">Trust material and bounds.</param>
    /// <param name="stampsVerifiedThrough">
    /// The largest tree size whose time-stamp was verified before. The newest stamped checkpoint at or below the
    /// new position is checked when it is larger: the integrator stamps checkpoints after making them, so a
    /// checkpoint verified unstamped may have its token by the next run.
    /// </param>
    public static LogIntegrityResult Verify(string databasePath, LogPosition from, LogIntegrityOptions options, long stampsVerifiedThrough = 0)
    {
        ArgumentException.ThrowIfNullOrEmpty(databasePath);
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(options);
        var run = new Run(options, from);
        return run.Guard(() =>
        {
            using var connection = LogFiles.Open(databasePath, SqliteOpenMode.ReadOnly, BusyTimeout);
            using var tx = connection.BeginTransaction(deferred: true);
            return run.Continue(connection, tx, stampsVerifiedThrough);
        });
    }

    /// <summary>
    /// A starting position at the newest checkpoint of at most <paramref name="atOrBelow"/> records, from the
    /// frontier stored beside it, after checking that checkpoint as <see cref="Verify"/> checks every checkpoint
    /// (the frontier must fold to its signed root). Records below it are not read: use this to watch a log's
    /// growth without first re-reading all of it. <see cref="LogPosition.Empty"/> when there is no such checkpoint.
    /// </summary>
    public static LogIntegrityResult Resume(string databasePath, long atOrBelow, LogIntegrityOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(databasePath);
        ArgumentNullException.ThrowIfNull(options);
        var run = new Run(options, LogPosition.Empty);
        return run.Guard(() =>
        {
            using var connection = LogFiles.Open(databasePath, SqliteOpenMode.ReadOnly, BusyTimeout);
            using var tx = connection.BeginTransaction(deferred: true);
            return run.Resume(connection, tx, atOrBelow);
        });
    }

    private sealed class Run(LogIntegrityOptions options, LogPosition from)
    {
        private readonly TimeStampVerifier _stamps = new(options.Time);
        private MerkleFrontier _tree = from.Restore();
        private long _records;
        private long _checkpoints;
        private long _bodyBytes;
        private long _stampedSize;
        private long _newest;
        private long _target;

        public LogIntegrityResult Guard(Func<LogIntegrityResult> body)
        {
            try
            {
                return body();
            }
            catch (SqliteException ex)
            {
                return Fail(LogVerificationFailure.Unreadable, null, null, $"the database cannot be read: {ex.Message}");
            }
        }

        public LogIntegrityResult Continue(SqliteConnection connection, SqliteTransaction tx, long stampsVerifiedThrough)
        {
            if (CheckSchema(connection, tx) is { } notALog)
            {
                return notALog;
            }

            _newest = LogFiles.Scalar<long?>(connection, tx, "SELECT MAX(tree_size) FROM checkpoint;") ?? 0;
            if (_newest < from.TreeSize)
            {
                return Fail(
                    LogVerificationFailure.CheckpointMissing,
                    null,
                    from.TreeSize,
                    $"records 1 to {from.TreeSize} were verified against checkpoints, but the newest checkpoint now covers {_newest}: checkpoints were deleted or the log was replaced by an older copy");
            }

            _target = Math.Min(_newest, options.UpTo ?? long.MaxValue);
            if (_target > from.TreeSize && Advance(connection, tx) is { } bad)
            {
                return bad;
            }

            return CheckNewestStamp(connection, tx, Math.Max(stampsVerifiedThrough, _stampedSize)) ?? Done();
        }

        public LogIntegrityResult Resume(SqliteConnection connection, SqliteTransaction tx, long atOrBelow)
        {
            if (CheckSchema(connection, tx) is { } notALog)
            {
                return notALog;
            }

            using var cmd = connection.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = $"SELECT {LogSchema.CheckpointColumns}, frontier FROM checkpoint WHERE tree_size <= $size ORDER BY tree_size DESC LIMIT 1;";
            cmd.Parameters.AddWithValue("$size", atOrBelow);
            using var r = cmd.ExecuteReader();
            if (!r.Read())
            {
                return Done();
            }

            var size = r.GetInt64(0);
            StoredCheckpoint stored;
            byte[] frontier;
            try
            {
                stored = LogRows.ReadCheckpoint(r);
                frontier = LogRows.Blob(r, 8);
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidCastException)
            {
                return Fail(LogVerificationFailure.MalformedCheckpoint, null, size, $"checkpoint {size} is malformed: {ex.Message}");
            }

            if (!MerkleFrontier.TryRestore(size, frontier, out var restored))
            {
                return Fail(LogVerificationFailure.MalformedCheckpoint, null, size, $"checkpoint {size}: the stored frontier is not one of {size} leaves");
            }

            _tree = restored;
            _newest = size;
            _target = size;
            return CheckCheckpoint(stored) ?? Done();
        }

        private LogIntegrityResult? CheckSchema(SqliteConnection connection, SqliteTransaction tx)
        {
            var version = LogFiles.Scalar<long>(connection, tx, "PRAGMA user_version;");
            return version == LogSchema.Version
                ? null
                : Fail(LogVerificationFailure.NotAMessageLog, null, null, $"schema version {version} is not {LogSchema.Version}");
        }

        private LogIntegrityResult? Advance(SqliteConnection connection, SqliteTransaction tx)
        {
            using var checkpointCommand = connection.CreateCommand();
            checkpointCommand.Transaction = tx;
            checkpointCommand.CommandText = $"SELECT {LogSchema.CheckpointColumns} FROM checkpoint WHERE tree_size > $from AND tree_size <= $to ORDER BY tree_size;";
            checkpointCommand.Parameters.AddWithValue("$from", from.TreeSize);
            checkpointCommand.Parameters.AddWithValue("$to", _target);
            using var checkpoints = checkpointCommand.ExecuteReader();
            var pending = NextCheckpoint(checkpoints);
            if (pending.Failure is { } early)
            {
                return early;
            }

            using var recordCommand = connection.CreateCommand();
            recordCommand.Transaction = tx;
            recordCommand.CommandText = $"SELECT {LogSchema.RecordColumns}, body_state FROM record WHERE seq > $from AND seq <= $to ORDER BY seq;";
            recordCommand.Parameters.AddWithValue("$from", from.TreeSize);
            recordCommand.Parameters.AddWithValue("$to", _target);
            using var records = recordCommand.ExecuteReader();
            while (records.Read())
            {
                var next = _tree.Size + 1;
                var sequence = records.GetInt64(0);
                if (sequence != next)
                {
                    return Fail(LogVerificationFailure.MissingRecord, next, null, $"record {next} is missing; the next record is {sequence}");
                }

                if (CheckRecord(records, sequence) is { } badRecord)
                {
                    return badRecord;
                }

                while (pending.Checkpoint is { } checkpoint && checkpoint.TreeSize == _tree.Size)
                {
                    if (CheckCheckpoint(checkpoint) is { } badCheckpoint)
                    {
                        return badCheckpoint;
                    }

                    pending = NextCheckpoint(checkpoints);
                    if (pending.Failure is { } failed)
                    {
                        return failed;
                    }
                }

                if (_records >= options.MaxRecords || _checkpoints >= options.MaxCheckpoints || _bodyBytes >= options.MaxBodyBytes)
                {
                    return null;
                }
            }

            if (_tree.Size < _target)
            {
                var missing = _tree.Size + 1;
                return pending.Checkpoint is { } beyond
                    ? Fail(LogVerificationFailure.CheckpointBeyondLog, missing, beyond.TreeSize, $"checkpoint {beyond.TreeSize} covers records up to {beyond.TreeSize} but the log ends at {_tree.Size}: record {missing} onwards is missing")
                    : Fail(LogVerificationFailure.MissingRecord, missing, null, $"record {missing} is missing: the log ends at {_tree.Size} but records up to {_target} were there before");
            }

            return null;
        }

        private LogIntegrityResult? CheckRecord(SqliteDataReader records, long sequence)
        {
            LoggedRecord row;
            long bodyState;
            try
            {
                row = LogRows.ReadRecord(records);
                bodyState = records.GetInt64(19);
                row.Record.Validate();
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidCastException or OverflowException or FormatException)
            {
                return Fail(LogVerificationFailure.MalformedRecord, sequence, null, $"record {sequence} is malformed: {ex.Message}");
            }

            _records++;

            // An archived row keeps its sequence, leaf and metadata; its head, signature and OCSP moved to the
            // archive file, whose contents the offline verifier checks against the leaf.
            if (bodyState != LogSchema.RecordArchived)
            {
                if (RecordEncoding.LeafHash(sequence, row.Record) != row.LeafHash)
                {
                    return Fail(LogVerificationFailure.LeafMismatch, sequence, null, $"record {sequence} does not hash to its stored leaf: a field was changed or records were moved");
                }

                if (row.Record.Body is { } body)
                {
                    _bodyBytes += body.Length;
                    if (!CryptographicOperations.FixedTimeEquals(SHA512.HashData(body.Span), row.Record.BodyDigest.Span))
                    {
                        return Fail(LogVerificationFailure.BodyDigestMismatch, sequence, null, $"the body of record {sequence} does not match its SHA-512 digest");
                    }
                }
            }

            _tree.Append(row.LeafHash);
            return null;
        }

        private (StoredCheckpoint? Checkpoint, LogIntegrityResult? Failure) NextCheckpoint(SqliteDataReader checkpoints)
        {
            var (checkpoint, size, problem) = CheckpointChecks.Next(checkpoints);
            return problem is null ? (checkpoint, null) : (null, Fail(LogVerificationFailure.MalformedCheckpoint, null, size, problem));
        }

        private LogIntegrityResult? CheckCheckpoint(StoredCheckpoint stored)
        {
            var size = stored.TreeSize;
            if (CheckpointChecks.Content(stored, options.ServerId, _tree.RootHash, out var content) is { } bad)
            {
                return Fail(bad.Failure, null, size, bad.Message);
            }

            var signature = options.Signatures.Verify(stored.Signature.Span, stored.Content.Span, stored.StampedAt ?? stored.CreatedAt, CertificatePurpose.Signing);
            if (!signature.IsValid)
            {
                return Fail(LogVerificationFailure.SignatureInvalid, null, size, $"checkpoint {size} signature: {signature}");
            }

            if (options.CheckSigner?.Invoke(content!, signature.Value!) is { } wrongSigner)
            {
                return Fail(LogVerificationFailure.SignatureInvalid, null, size, $"checkpoint {size} signature: {wrongSigner}");
            }

            _checkpoints++;
            return CheckStamp(stored);
        }

        private LogIntegrityResult? CheckStamp(StoredCheckpoint stored)
        {
            if (options.TimeStamps is null || stored.Token is not { } token)
            {
                return null;
            }

            var stamp = _stamps.Verify(token, SHA256.HashData(stored.Signature.Span), HashAlgorithmName.SHA256, options.TimeStamps);
            if (!stamp.IsValid)
            {
                return Fail(LogVerificationFailure.TimeStampInvalid, null, stored.TreeSize, $"checkpoint {stored.TreeSize} time-stamp: {stamp}");
            }

            _stampedSize = Math.Max(_stampedSize, stored.TreeSize);
            return null;
        }

        private LogIntegrityResult? CheckNewestStamp(SqliteConnection connection, SqliteTransaction tx, long verifiedThrough)
        {
            using var cmd = connection.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = $"SELECT {LogSchema.CheckpointColumns} FROM checkpoint WHERE token IS NOT NULL AND tree_size <= $size ORDER BY tree_size DESC LIMIT 1;";
            cmd.Parameters.AddWithValue("$size", _tree.Size);
            using var r = cmd.ExecuteReader();
            if (!r.Read() || r.GetInt64(0) <= verifiedThrough)
            {
                return null;
            }

            var size = r.GetInt64(0);
            try
            {
                return CheckStamp(LogRows.ReadCheckpoint(r));
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidCastException)
            {
                return Fail(LogVerificationFailure.MalformedCheckpoint, null, size, $"checkpoint {size} is malformed: {ex.Message}");
            }
        }

        private LogIntegrityResult Done() => new()
        {
            Position = LogPosition.From(_tree),
            Records = _records,
            Checkpoints = _checkpoints,
            NewestCheckpoint = _newest,
            Target = _target,
            StampedTreeSize = _stampedSize,
        };

        private LogIntegrityResult Fail(LogVerificationFailure failure, long? sequence, long? checkpoint, string message) => new()
        {
            Failure = failure,
            Sequence = sequence,
            CheckpointTreeSize = checkpoint,
            Message = message,
            Position = from,
            Records = _records,
            Checkpoints = _checkpoints,
            NewestCheckpoint = _newest,
            Target = _target,
            StampedTreeSize = _stampedSize,
        };
    }
}
