using System.Security.Cryptography;
using ExchangeGateway.Common.Crypto.Cms;
using ExchangeGateway.Common.Crypto.TimeStamping;
using ExchangeGateway.Common.Crypto.X509;
using ExchangeGateway.MessageLog.Integration;
using ExchangeGateway.MessageLog.Records;
using ExchangeGateway.MessageLog.Storage;
using Microsoft.Data.Sqlite;

namespace ExchangeGateway.MessageLog.Verification;

/// <summary>
/// Verifies a whole message-log database offline and names the first bad item. Opens the file read-only
/// (a log left with a WAL file by a killed process, or one a running server is writing, reads as its
/// newest committed state) and never changes or "repairs" anything.
/// </summary>
/// <remarks>
/// In one read transaction, records in sequence order: the sequence is gapless from 1; each record's
/// leaf recomputes from its canonical bytes (<see cref="RecordEncoding"/>) and equals the stored leaf;
/// a stored body hashes to its SHA-512 digest. The leaves are folded into the RFC 6962 tree, and each
/// checkpoint is checked when the tree reaches its size: its canonical bytes parse and agree with its
/// columns, its root is the tree's root, and, when trust material is given, its CMS signature verifies
/// and its time-stamp verifies over SHA-256 of that signature. A checkpoint beyond the last record means
/// the tail was cut. Records after the newest checkpoint are checked for themselves only: nothing
/// offline can tell whether more of them existed.
/// </remarks>
public static class MessageLogVerifier
{
    /// <summary>Verifies the log at <paramref name="databasePath"/>.</summary>
    public static LogVerificationResult Verify(string databasePath, MessageLogVerifierOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(databasePath);
        ArgumentNullException.ThrowIfNull(options);
        if (!File.Exists(databasePath))
        {
            return new LogVerificationResult { Failure = LogVerificationFailure.Unreadable, Message = $"{databasePath} does not exist" };
        }

        var run = new Run(options);
        try
        {
            using var connection = LogFiles.Open(databasePath, SqliteOpenMode.ReadOnly, TimeSpan.FromSeconds(5));
            using var tx = connection.BeginTransaction(deferred: true);
            return run.Execute(connection, tx);
        }
        catch (SqliteException ex)
        {
            return run.Fail(LogVerificationFailure.Unreadable, run.NextSequence, null, $"the database cannot be read: {ex.Message}");
        }
    }

    private sealed class Run(MessageLogVerifierOptions options)
    {
        private readonly MerkleFrontier _tree = new();
        private readonly CmsSignatureVerifier? _signatures = options.SigningAnchors is { Count: > 0 } anchors
            ? new CmsSignatureVerifier(new CertificateValidator(anchors, options.SigningIntermediates, options.ClockSkew))
            : null;

        private readonly TimeStampTrust? _tsaTrust = options.TsaCertificates is { Count: > 0 } tsas
            ? new TimeStampTrust(new CertificateValidator(tsas, clockSkew: options.ClockSkew), tsas)
            : null;

        private readonly TimeStampVerifier _stamps = new(options.Time);
        private long _checkpoints;
        private long _stamped;
        private long _stampedSize;

        public long NextSequence { get; private set; } = 1;

        public LogVerificationResult Execute(SqliteConnection connection, SqliteTransaction tx)
        {
            var version = LogFiles.Scalar<long>(connection, tx, "PRAGMA user_version;");
            if (version != LogSchema.Version)
            {
                return Fail(LogVerificationFailure.NotAMessageLog, null, null, $"schema version {version} is not {LogSchema.Version}");
            }

            var format = LogFiles.Scalar<string>(connection, tx, "SELECT format FROM log_info WHERE id = 1;");
            if (!string.Equals(format, LogSchema.Format, StringComparison.Ordinal))
            {
                return Fail(LogVerificationFailure.NotAMessageLog, null, null, "log_info.format is not a message log's");
            }

            // SQLite's own check first: a damaged page (a truncated or overwritten file) may sit in an
            // index or a free page that the record scan below never reads.
            var integrity = LogFiles.Scalar<string>(connection, tx, "PRAGMA integrity_check(1);");
            if (!string.Equals(integrity, "ok", StringComparison.Ordinal))
            {
                return Fail(LogVerificationFailure.Unreadable, null, null, $"SQLite integrity check failed: {integrity}");
            }

            using var checkpointCommand = connection.CreateCommand();
            checkpointCommand.Transaction = tx;
            checkpointCommand.CommandText = $"SELECT {LogSchema.CheckpointColumns} FROM checkpoint ORDER BY tree_size;";
            using var checkpoints = checkpointCommand.ExecuteReader();
            var pending = NextCheckpoint(checkpoints);
            if (pending.Failure is { } early)
            {
                return early;
            }

            using var recordCommand = connection.CreateCommand();
            recordCommand.Transaction = tx;
            recordCommand.CommandText = $"SELECT {LogSchema.RecordColumns} FROM record ORDER BY seq;";
            using var records = recordCommand.ExecuteReader();

            // A checkpoint of the empty tree would be checked before any record.
            while (pending.Checkpoint is { TreeSize: 0 } empty)
            {
                if (CheckCheckpoint(empty) is { } bad)
                {
                    return bad;
                }

                pending = NextCheckpoint(checkpoints);
                if (pending.Failure is { } failed)
                {
                    return failed;
                }
            }

            while (records.Read())
            {
                var sequence = records.GetInt64(0);
                if (sequence != NextSequence)
                {
                    return Fail(LogVerificationFailure.MissingRecord, NextSequence, null, $"record {NextSequence} is missing; the next record is {sequence}");
                }

                if (CheckRecord(records, sequence) is { } badRecord)
                {
                    return badRecord;
                }

                NextSequence++;
                while (pending.Checkpoint is { } checkpoint && checkpoint.TreeSize == _tree.Size)
                {
                    if (CheckCheckpoint(checkpoint) is { } bad)
                    {
                        return bad;
                    }

                    pending = NextCheckpoint(checkpoints);
                    if (pending.Failure is { } failed)
                    {
                        return failed;
                    }
                }
            }

            if (pending.Checkpoint is { } beyond)
            {
                return Fail(
                    LogVerificationFailure.CheckpointBeyondLog,
                    NextSequence,
                    beyond.TreeSize,
                    $"checkpoint {beyond.TreeSize} covers records up to {beyond.TreeSize} but the log ends at {NextSequence - 1}: record {NextSequence} onwards is missing");
            }

            return new LogVerificationResult
            {
                Records = _tree.Size,
                Checkpoints = _checkpoints,
                StampedCheckpoints = _stamped,
                StampedTreeSize = _stampedSize,
            };
        }

        public LogVerificationResult Fail(LogVerificationFailure failure, long? sequence, long? checkpoint, string message) => new()
        {
            Failure = failure,
            Sequence = sequence,
            CheckpointTreeSize = checkpoint,
            Message = message,
            Records = _tree.Size,
            Checkpoints = _checkpoints,
            StampedCheckpoints = _stamped,
            StampedTreeSize = _stampedSize,
        };

        private LogVerificationResult? CheckRecord(SqliteDataReader records, long sequence)
        {
            LoggedRecord row;
            try
            {
                row = LogRows.ReadRecord(records);
                row.Record.Validate();
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidCastException or OverflowException or FormatException)
            {
                return Fail(LogVerificationFailure.MalformedRecord, sequence, null, $"record {sequence} is malformed: {ex.Message}");
            }

            var leaf = RecordEncoding.LeafHash(sequence, row.Record);
            if (leaf != row.LeafHash)
            {
                return Fail(LogVerificationFailure.LeafMismatch, sequence, null, $"record {sequence} does not hash to its stored leaf: a field was changed or records were moved");
            }

            if (options.CheckBodies && row.Record.Body is { } body)
            {
                var digest = SHA512.HashData(body.Span);
                if (!CryptographicOperations.FixedTimeEquals(digest, row.Record.BodyDigest.Span))
                {
                    return Fail(LogVerificationFailure.BodyDigestMismatch, sequence, null, $"the body of record {sequence} does not match its SHA-512 digest");
                }
            }

            _tree.Append(leaf);
            return null;
        }

        private (StoredCheckpoint? Checkpoint, LogVerificationResult? Failure) NextCheckpoint(SqliteDataReader checkpoints)
        {
            if (!checkpoints.Read())
            {
                return (null, null);
            }

            var size = checkpoints.GetInt64(0);
            try
            {
                return (LogRows.ReadCheckpoint(checkpoints), null);
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidCastException)
            {
                return (null, Fail(LogVerificationFailure.MalformedCheckpoint, null, size, $"checkpoint {size} is malformed: {ex.Message}"));
            }
        }

        private LogVerificationResult? CheckCheckpoint(StoredCheckpoint stored)
        {
            var size = stored.TreeSize;
            var parsed = Checkpoint.Parse(stored.Content.Span);
            if (!parsed.Success)
            {
                return Fail(LogVerificationFailure.MalformedCheckpoint, null, size, $"checkpoint {size}: {parsed.Message}");
            }

            var content = parsed.Value;
            if (content.TreeSize != size || content.RootHash != stored.RootHash || content.CreatedAt != stored.CreatedAt)
            {
                return Fail(LogVerificationFailure.MalformedCheckpoint, null, size, $"checkpoint {size}: the signed content disagrees with the stored size, root or time");
            }

            if (options.ServerId is { } serverId && !string.Equals(serverId, content.ServerId, StringComparison.Ordinal))
            {
                return Fail(LogVerificationFailure.MalformedCheckpoint, null, size, $"checkpoint {size} names server {content.ServerId}, not {serverId}");
            }

            if (content.RootHash != _tree.RootHash)
            {
                return Fail(LogVerificationFailure.RootMismatch, null, size, $"checkpoint {size} root {content.RootHash} is not the root {_tree.RootHash} of records 1 to {size}");
            }

            var signedAt = stored.StampedAt ?? stored.CreatedAt;
            if (_signatures is not null)
            {
                var signature = _signatures.Verify(stored.Signature.Span, stored.Content.Span, signedAt, CertificatePurpose.Signing);
                if (!signature.IsValid)
                {
                    return Fail(LogVerificationFailure.SignatureInvalid, null, size, $"checkpoint {size} signature: {signature}");
                }
            }

            if (_tsaTrust is not null && stored.Token is { } token)
            {
                var imprint = SHA256.HashData(stored.Signature.Span);
                var stamp = _stamps.Verify(token, imprint, HashAlgorithmName.SHA256, _tsaTrust);
                if (!stamp.IsValid)
                {
                    return Fail(LogVerificationFailure.TimeStampInvalid, null, size, $"checkpoint {size} time-stamp: {stamp}");
                }

                _stamped++;
                _stampedSize = Math.Max(_stampedSize, size);
            }

            _checkpoints++;
            return null;
        }
    }
}
