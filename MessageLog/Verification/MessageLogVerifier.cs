using System.Globalization;
using System.Security.Cryptography;
using ExchangeGateway.Common.Crypto.Cms;
using ExchangeGateway.Common.Crypto.TimeStamping;
using ExchangeGateway.Common.Crypto.X509;
using ExchangeGateway.MessageLog.Archiving;
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
        private long _archives;
        private long _archivedChecked;
        private long _leafOnly;
        private long _erased;
        private bool _archivesVerified;

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

            var archives = ReadArchiveTable(connection, tx, out var badTable);
            if (badTable is not null)
            {
                return badTable;
            }

            if (options.ArchiveDirectory is { } directory && archives.Count > 0 && CheckArchives(connection, tx, directory, archives) is { } badArchive)
            {
                return badArchive;
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
            recordCommand.CommandText = $"SELECT {LogSchema.RecordColumns}, body_state, archive_id FROM record ORDER BY seq;";
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

                if (CheckRecord(records, sequence, archives) is { } badRecord)
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
                Archives = _archives,
                ArchivedRecords = _archivedChecked,
                LeafOnlyRecords = _leafOnly,
                ErasedBodies = _erased,
            };
        }

        public LogVerificationResult Fail(LogVerificationFailure failure, long? sequence, long? checkpoint, string message, long? archiveId = null) => new()
        {
            Failure = failure,
            Sequence = sequence,
            CheckpointTreeSize = checkpoint,
            ArchiveId = archiveId,
            Message = message,
            Records = _tree.Size,
            Checkpoints = _checkpoints,
            StampedCheckpoints = _stamped,
            StampedTreeSize = _stampedSize,
            Archives = _archives,
            ArchivedRecords = _archivedChecked,
            LeafOnlyRecords = _leafOnly,
            ErasedBodies = _erased,
        };

        private LogVerificationResult? CheckRecord(SqliteDataReader records, long sequence, List<ArchiveRow> archives)
        {
            LoggedRecord row;
            long state;
            long? archiveId;
            try
            {
                row = LogRows.ReadRecord(records);
                state = records.GetInt64(LogSchema.RecordColumnCount);
                archiveId = records.IsDBNull(LogSchema.RecordColumnCount + 1) ? null : records.GetInt64(LogSchema.RecordColumnCount + 1);
                if (state != LogSchema.RecordArchived)
                {
                    row.Record.Validate();
                }
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidCastException or OverflowException or FormatException)
            {
                return Fail(LogVerificationFailure.MalformedRecord, sequence, null, $"record {sequence} is malformed: {ex.Message}");
            }

            switch (state)
            {
                case LogSchema.RecordArchived:
                    return CheckArchivedRow(row, archiveId, archives);
                case LogSchema.BodyErased when row.Record.Body is not null:
                    return Fail(LogVerificationFailure.MalformedRecord, sequence, null, $"record {sequence} says its body was erased but still has one");
                case LogSchema.BodyErased:
                    _erased++;
                    break;
                case LogSchema.BodyAsWritten:
                    break;
                default:
                    return Fail(LogVerificationFailure.MalformedRecord, sequence, null, $"record {sequence} has body state {state}, not 0, 1 or 2");
            }

            if (archiveId is not null)
            {
                return Fail(LogVerificationFailure.MalformedRecord, sequence, null, $"record {sequence} names archive {archiveId} but is not archived");
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

        // An archived row keeps its sequence, leaf and metadata; its content is in the archive it names. The
        // leaf goes into the tree as stored: the archive check (when a directory was given) tied it to the
        // archived canonical bytes, and the checkpoints tie it to the signed roots.
        private LogVerificationResult? CheckArchivedRow(LoggedRecord row, long? archiveId, List<ArchiveRow> archives)
        {
            var sequence = row.Sequence;
            if (row.Record.Head.Length != 0 || row.Record.Signature.Length != 0 || row.Record.Ocsp.Length != 0 || row.Record.Body is not null)
            {
                return Fail(LogVerificationFailure.MalformedRecord, sequence, null, $"record {sequence} is archived but its live row still holds content");
            }

            var archive = archiveId is { } id && id >= 1 && id <= archives.Count ? archives[(int)(id - 1)] : null;
            if (archive is null || sequence < archive.First || sequence > archive.Last)
            {
                return Fail(LogVerificationFailure.ArchiveMismatch, sequence, null, $"record {sequence} is archived in archive {archiveId?.ToString(CultureInfo.InvariantCulture) ?? "(none)"}, but the archive table has no archive covering it", archiveId);
            }

            if (_archivesVerified)
            {
                _archivedChecked++;
            }
            else
            {
                _leafOnly++;
            }

            _tree.Append(row.LeafHash);
            return null;
        }

        // The archive table: ids 1..n, each range continuing the previous, each chained to the previous manifest.
        private List<ArchiveRow> ReadArchiveTable(SqliteConnection connection, SqliteTransaction tx, out LogVerificationResult? failure)
        {
            failure = null;
            var rows = new List<ArchiveRow>();
            using var cmd = connection.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = "SELECT id, first_seq, last_seq, file_name, file_sha256, manifest_sha256, previous_sha256 FROM archive ORDER BY id;";
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                var row = new ArchiveRow(r.GetInt64(0), r.GetInt64(1), r.GetInt64(2), r.GetString(3), LogRows.Blob(r, 4), LogRows.Blob(r, 5), r.IsDBNull(6) ? null : LogRows.Blob(r, 6));
                var previous = rows.Count == 0 ? null : rows[^1];
                var problem =
                    row.Id != rows.Count + 1 ? $"the archive table skips from archive {rows.Count} to {row.Id}"
                    : row.First != (previous?.Last ?? 0) + 1 || row.Last < row.First ? $"archive {row.Id} covers records {row.First} to {row.Last}, which do not continue from record {previous?.Last ?? 0}"
                    : !string.Equals(row.FileName, ArchiveLayout.FileName(row.Id), StringComparison.Ordinal) ? $"archive {row.Id}'s file name is '{row.FileName}'"
                    : !SameHash(row.Previous, previous?.ManifestSha256) ? $"archive {row.Id}'s previous-manifest hash in the archive table is not archive {row.Id - 1}'s"
                    : null;
                if (problem is not null)
                {
                    failure = Fail(LogVerificationFailure.ArchiveMismatch, null, null, problem, row.Id);
                    return rows;
                }

                rows.Add(row);
            }

            return rows;
        }

        // Every archive the table names, verified on its own and against the live rows it replaced.
        private LogVerificationResult? CheckArchives(SqliteConnection connection, SqliteTransaction tx, string directory, List<ArchiveRow> archives)
        {
            using var lookup = connection.CreateCommand();
            lookup.Transaction = tx;
            lookup.CommandText = $"SELECT {LogSchema.RecordColumns}, body_state, archive_id FROM record WHERE seq = $seq;";
            var parameter = lookup.Parameters.Add("$seq", SqliteType.Integer);
            var hooks = new ArchiveLogHooks
            {
                Record = (sequence, leaf, archived) =>
                {
                    parameter.Value = sequence;
                    using var r = lookup.ExecuteReader();
                    if (!r.Read())
                    {
                        return (ArchiveVerificationFailure.LogMismatch, $"record {sequence} is in an archive but not in the log");
                    }

                    LoggedRecord live;
                    try
                    {
                        live = LogRows.ReadRecord(r);
                    }
                    catch (Exception ex) when (ex is ArgumentException or InvalidCastException or OverflowException)
                    {
                        return (ArchiveVerificationFailure.LogMismatch, $"record {sequence}'s live row is malformed: {ex.Message}");
                    }

                    var archiveId = r.IsDBNull(LogSchema.RecordColumnCount + 1) ? (long?)null : r.GetInt64(LogSchema.RecordColumnCount + 1);
                    if (r.GetInt64(LogSchema.RecordColumnCount) != LogSchema.RecordArchived || archiveId is not { } id || sequence < archives[(int)Math.Clamp(id - 1, 0, archives.Count - 1)].First || sequence > archives[(int)Math.Clamp(id - 1, 0, archives.Count - 1)].Last)
                    {
                        return (ArchiveVerificationFailure.LogMismatch, $"record {sequence} is in an archive but its live row is not marked archived there");
                    }

                    if (live.LeafHash != leaf)
                    {
                        return (ArchiveVerificationFailure.LogMismatch, $"archived record {sequence} does not hash to the live log's leaf");
                    }

                    // The live metadata must be exactly the archived record's: search results must not lie.
                    var liveWithContent = live.Record with { Head = archived.Head, Signature = archived.Signature, Ocsp = archived.Ocsp };
                    bool same;
                    try
                    {
                        same = RecordEncoding.LeafHash(sequence, liveWithContent) == leaf;
                    }
                    catch (ArgumentException)
                    {
                        same = false;
                    }

                    return same ? null : (ArchiveVerificationFailure.LogMismatch, $"archived record {sequence}'s live metadata differ from the archived record");
                },
                Archive = (manifest, manifestSha256, fileSha256) =>
                {
                    var row = archives[(int)manifest.Id - 1];
                    return manifest.FirstSequence != row.First || manifest.LastSequence != row.Last
                        ? (ArchiveVerificationFailure.LogMismatch, $"archive {manifest.Id} holds records {manifest.FirstSequence} to {manifest.LastSequence}; the archive table says {row.First} to {row.Last}")
                        : !CryptographicOperations.FixedTimeEquals(manifestSha256, row.ManifestSha256) || !CryptographicOperations.FixedTimeEquals(fileSha256, row.FileSha256)
                        ? (ArchiveVerificationFailure.LogMismatch, $"archive {manifest.Id}'s file is not the one the archive table recorded (its SHA-256 differs)")
                        : null;
                },
            };
            var result = ArchiveVerifier.VerifyWithLog(
                directory,
                new ArchiveVerifierOptions
                {
                    SigningAnchors = options.SigningAnchors,
                    SigningIntermediates = options.SigningIntermediates,
                    ServerId = options.ServerId,
                    SignerMember = options.SignerMember,
                    DecryptionCertificates = options.ArchiveDecryptionCertificates,
                    UpToArchive = archives.Count,
                    ClockSkew = options.ClockSkew,
                },
                hooks);
            if (!result.IsValid)
            {
                var failure = result.Failure is ArchiveVerificationFailure.LogMismatch
                    || (result.Failure is ArchiveVerificationFailure.ChainBroken or ArchiveVerificationFailure.Unreadable && result.FileName is null)
                    ? LogVerificationFailure.ArchiveMismatch
                    : LogVerificationFailure.ArchiveInvalid;
                return Fail(failure, result.Sequence, null, result.ToString(), result.ArchiveId);
            }

            _archives = result.Archives;
            _archivesVerified = true;
            return null;
        }

        private static bool SameHash(byte[]? a, byte[]? b) =>
            a is null ? b is null : b is not null && CryptographicOperations.FixedTimeEquals(a, b);

        private sealed record ArchiveRow(long Id, long First, long Last, string FileName, byte[] FileSha256, byte[] ManifestSha256, byte[]? Previous);

        private (StoredCheckpoint? Checkpoint, LogVerificationResult? Failure) NextCheckpoint(SqliteDataReader checkpoints)
        {
            var (checkpoint, size, problem) = CheckpointChecks.Next(checkpoints);
            return problem is null ? (checkpoint, null) : (null, Fail(LogVerificationFailure.MalformedCheckpoint, null, size, problem));
        }

        private LogVerificationResult? CheckCheckpoint(StoredCheckpoint stored)
        {
            var size = stored.TreeSize;
            if (CheckpointChecks.Content(stored, options.ServerId, _tree.RootHash, out _) is { } bad)
            {
                return Fail(bad.Failure, null, size, bad.Message);
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
