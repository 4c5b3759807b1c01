using System.Buffers;
using System.Globalization;
using ExchangeGateway.Common.Crypto.Merkle;
using ExchangeGateway.MessageLog.Integration;
using ExchangeGateway.MessageLog.Records;
using ExchangeGateway.MessageLog.Storage;
using Microsoft.Data.Sqlite;

namespace ExchangeGateway.MessageLog.Evidence;

/// <summary>
/// Writes the export of records (A.size, B.size] of a stored log between two stored checkpoints A and B
/// (<see cref="LogExportFormat"/>): the header with both checkpoints, A's stored frontier, the consistency
/// proof from A to B, the trust material and witness statements; then every record's canonical bytes and
/// body in sequence order; then the end line. Streams: memory does not grow with the range.
/// </summary>
/// <remarks>
/// Everything that can refuse the export is checked before the first byte is written, so a caller (the
/// security server's export route) can still answer with an error status. The records are read in one read
/// transaction of their own read-only connection, beside a running store. What is stored is exported as
/// stored: the writer does not judge the records (the verifier does), so a tampered log exports as such.
/// </remarks>
public static class LogExportWriter
{
    private const int FlushBytes = 256 * 1024;

    /// <summary>
    /// Exports records <paramref name="fromSize"/> + 1 to <paramref name="toSize"/> of the log at
    /// <paramref name="databasePath"/> to <paramref name="output"/>.
    /// </summary>
    /// <param name="databasePath">The message-log database.</param>
    /// <param name="fromSize">Checkpoint A's tree size; 0 for the empty tree (the export then starts at record 1).</param>
    /// <param name="toSize">Checkpoint B's tree size.</param>
    /// <param name="trust">The trust material to check the export against (the global configuration in force, its signature, the anchor).</param>
    /// <param name="witnesses">Witness statements and their signatures to include, besides stored ones (<see cref="LogExportWriterOptions.IncludeStoredWitnesses"/>).</param>
    /// <param name="output">Where to write; not closed.</param>
    /// <param name="options">Options; defaults when null.</param>
    /// <param name="cancellationToken">Stops between records; the output is then cut short (no end line), which any reader detects.</param>
    /// <returns>What was written, or why nothing was written.</returns>
    /// <exception cref="SqliteException">The database cannot be read.</exception>
    /// <exception cref="InvalidDataException">The log changed under the export (a record vanished, an archived record read back wrong); the output is cut short.</exception>
    public static async Task<LogExportWriteResult> WriteAsync(
        string databasePath,
        long fromSize,
        long toSize,
        EvidenceTrust trust,
        IReadOnlyList<(ReadOnlyMemory<byte> Statement, ReadOnlyMemory<byte> Signature)> witnesses,
        Stream output,
        LogExportWriterOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(databasePath);
        ArgumentNullException.ThrowIfNull(trust);
        ArgumentNullException.ThrowIfNull(witnesses);
        ArgumentNullException.ThrowIfNull(output);
        options ??= new LogExportWriterOptions();
        if (fromSize < 0 || toSize < 1 || fromSize > toSize)
        {
            return LogExportWriteResult.Fail(
                LogExportFailure.InvalidRange,
                fromSize < 0 || fromSize > toSize ? fromSize : toSize,
                Text($"An export runs from a tree size of 0 or more to a larger or equal size of at least 1, not from {fromSize} to {toSize}."));
        }

        var path = Path.GetFullPath(databasePath);
        using var connection = LogFiles.Open(path, SqliteOpenMode.ReadOnly, options.BusyTimeout);
        using var tx = connection.BeginTransaction(deferred: true);
        var (header, refused) = Plan(connection, tx, path, fromSize, toSize, trust, witnesses, options);
        if (refused is not null)
        {
            return refused;
        }

        var buffer = new ArrayBufferWriter<byte>(FlushBytes + (64 * 1024));
        long bytes = 0;
        LogExportJson.WriteHeader(buffer, header!);

        using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = $"SELECT {LogSchema.RecordColumns}, body_state FROM record WHERE seq > $from AND seq <= $to ORDER BY seq;";
        cmd.Parameters.AddWithValue("$from", fromSize);
        cmd.Parameters.AddWithValue("$to", toSize);
        using var reader = cmd.ExecuteReader();
        var expected = fromSize + 1;
        while (reader.Read())
        {
            cancellationToken.ThrowIfCancellationRequested();
            var row = LogRows.ReadRecord(reader);
            if (row.Sequence != expected)
            {
                throw new InvalidDataException(Text($"Record {expected} vanished from the log during the export."));
            }

            LogExportJson.WriteRecord(buffer, ToExport(row, reader.GetInt64(19), options));
            expected++;
            if (buffer.WrittenCount >= FlushBytes)
            {
                bytes += buffer.WrittenCount;
                await output.WriteAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
                buffer.ResetWrittenCount();
            }
        }

        if (expected != toSize + 1)
        {
            throw new InvalidDataException(Text($"Record {expected} vanished from the log during the export."));
        }

        LogExportJson.WriteEnd(buffer, toSize - fromSize);
        bytes += buffer.WrittenCount;
        await output.WriteAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        return new LogExportWriteResult(LogExportFailure.None, null, null, toSize - fromSize, bytes);
    }

    /// <summary>Everything before the records: both checkpoints, A's frontier, the proof, stored witnesses; or why not.</summary>
    private static (LogExportHeader? Header, LogExportWriteResult? Failure) Plan(
        SqliteConnection connection,
        SqliteTransaction tx,
        string path,
        long fromSize,
        long toSize,
        EvidenceTrust trust,
        IReadOnlyList<(ReadOnlyMemory<byte> Statement, ReadOnlyMemory<byte> Signature)> witnesses,
        LogExportWriterOptions options)
    {
        var to = ReadCheckpoint(connection, tx, toSize);
        if (to is null)
        {
            return (null, LogExportWriteResult.Fail(LogExportFailure.NotACheckpoint, toSize, Text($"No checkpoint has tree size {toSize}.")));
        }

        var toContent = Checkpoint.Parse(to.Value.Stored.Content.Span);
        if (!toContent.Success)
        {
            return (null, LogExportWriteResult.Fail(LogExportFailure.Inconsistent, toSize, Text($"Checkpoint {toSize} is malformed: {toContent.Message}.")));
        }

        var server = toContent.Value.ServerId;
        LogExportCheckpoint from;
        if (fromSize == 0)
        {
            from = new LogExportCheckpoint(0, null, null, null, []);
        }
        else
        {
            var stored = ReadCheckpoint(connection, tx, fromSize);
            if (stored is null)
            {
                return (null, LogExportWriteResult.Fail(LogExportFailure.NotACheckpoint, fromSize, Text($"No checkpoint has tree size {fromSize}.")));
            }

            var (a, frontierBytes) = stored.Value;
            var fromContent = Checkpoint.Parse(a.Content.Span);
            if (!fromContent.Success || !string.Equals(fromContent.Value.ServerId, server, StringComparison.Ordinal))
            {
                return (null, LogExportWriteResult.Fail(LogExportFailure.Inconsistent, fromSize, Text($"Checkpoint {fromSize} is malformed or names another server than checkpoint {toSize}.")));
            }

            if (!MerkleFrontier.TryRestore(fromSize, frontierBytes, out var frontier) || frontier.RootHash != a.RootHash)
            {
                return (null, LogExportWriteResult.Fail(LogExportFailure.Inconsistent, fromSize, Text($"The stored frontier of checkpoint {fromSize} does not give its root.")));
            }

            var hashes = new MerkleHash[frontierBytes.Length / MerkleHash.SizeInBytes];
            for (var i = 0; i < hashes.Length; i++)
            {
                hashes[i] = new MerkleHash(frontierBytes.AsSpan(i * MerkleHash.SizeInBytes, MerkleHash.SizeInBytes));
            }

            from = new LogExportCheckpoint(fromSize, a.Content, a.Signature, a.Token, hashes);
        }

        var present = LogFiles.Scalar<long>(connection, tx, "SELECT count(*) FROM record WHERE seq > $from AND seq <= $to;", ("$from", fromSize), ("$to", toSize));
        if (present != toSize - fromSize)
        {
            var missing = FirstMissing(connection, tx, fromSize, toSize);
            return (null, LogExportWriteResult.Fail(LogExportFailure.Inconsistent, missing, Text($"Record {missing} under checkpoint {toSize} is missing from the log.")));
        }

        if (options.ArchivedRecord is null
            && LogFiles.Scalar<long?>(connection, tx, "SELECT min(seq) FROM record WHERE seq > $from AND seq <= $to AND body_state = $archived;", ("$from", fromSize), ("$to", toSize), ("$archived", LogSchema.RecordArchived)) is { } archived)
        {
            return (null, LogExportWriteResult.Fail(LogExportFailure.RecordUnavailable, archived, Text($"Record {archived} is archived and this export cannot read archives.")));
        }

        MerkleHash[] consistency = [];
        if (fromSize > 0 && fromSize < toSize)
        {
            var proofs = options.Proofs ?? MessageLogProofs.Open(path, options.BusyTimeout);
            try
            {
                var proof = proofs.ConsistencyProof(fromSize, toSize);
                if (!proof.IsSuccess)
                {
                    var failure = proof.Failure == MessageLogProofFailure.NotACheckpoint ? LogExportFailure.NotACheckpoint : LogExportFailure.Inconsistent;
                    return (null, LogExportWriteResult.Fail(failure, proof.Item ?? toSize, proof.Message!));
                }

                consistency = [.. proof.Value!.Proof];
            }
            finally
            {
                if (options.Proofs is null)
                {
                    proofs.Dispose();
                }
            }
        }

        var storedWitnesses = options.IncludeStoredWitnesses ? StoredWitnesses(connection, tx, fromSize, toSize) : [];
        var header = new LogExportHeader(
            server,
            options.Time.GetUtcNow(),
            from,
            new LogExportCheckpoint(toSize, to.Value.Stored.Content, to.Value.Stored.Signature, to.Value.Stored.Token, null),
            consistency,
            trust,
            [.. storedWitnesses, .. witnesses]);
        return (header, null);
    }

    private static LogExportRecord ToExport(LoggedRecord row, long bodyState, LogExportWriterOptions options)
    {
        var record = row.Record;
        var state = bodyState switch
        {
            LogSchema.BodyErased => EvidenceBodyState.Erased,
            _ => record.Body is null ? EvidenceBodyState.NotLogged : EvidenceBodyState.Present,
        };
        if (bodyState == LogSchema.RecordArchived)
        {
            var archived = options.ArchivedRecord?.Invoke(row.Sequence);
            if (archived?.Logged is not { } logged || logged.Sequence != row.Sequence || RecordEncoding.LeafHash(row.Sequence, logged.Record) != row.LeafHash)
            {
                throw new InvalidDataException(Text($"Archived record {row.Sequence} could not be read back as it was logged."));
            }

            record = logged.Record;

            // Retention erases bodies before records are archived and an erased body is not carried into an
            // archive, so an archived record without its body had it erased (or never logged: the same to a
            // verifier), unless its archive keeps it encrypted and this server holds no key for it.
            state = archived.BodyState switch
            {
                RecordBodyState.Present when record.Body is not null => EvidenceBodyState.Present,
                RecordBodyState.Encrypted => EvidenceBodyState.Sealed,
                RecordBodyState.NotLogged => EvidenceBodyState.NotLogged,
                _ => EvidenceBodyState.Erased,
            };
        }

        var body = state == EvidenceBodyState.Present ? record.Body : null;
        return new LogExportRecord(row.Sequence, RecordEncoding.Canonical(row.Sequence, record), body, state);
    }

    private static (StoredCheckpoint Stored, byte[] Frontier)? ReadCheckpoint(SqliteConnection connection, SqliteTransaction tx, long treeSize)
    {
        using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = $"SELECT {LogSchema.CheckpointColumns}, frontier FROM checkpoint WHERE tree_size = $size;";
        cmd.Parameters.AddWithValue("$size", treeSize);
        using var r = cmd.ExecuteReader();
        return r.Read() ? (LogRows.ReadCheckpoint(r), LogRows.Blob(r, 8)) : null;
    }

    private static long FirstMissing(SqliteConnection connection, SqliteTransaction tx, long fromSize, long toSize)
    {
        using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "SELECT seq FROM record WHERE seq > $from AND seq <= $to ORDER BY seq;";
        cmd.Parameters.AddWithValue("$from", fromSize);
        cmd.Parameters.AddWithValue("$to", toSize);
        using var r = cmd.ExecuteReader();
        var expected = fromSize + 1;
        while (r.Read() && r.GetInt64(0) == expected)
        {
            expected++;
        }

        return expected;
    }

    private static List<(ReadOnlyMemory<byte> Statement, ReadOnlyMemory<byte> Signature)> StoredWitnesses(SqliteConnection connection, SqliteTransaction tx, long fromSize, long toSize)
    {
        using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "SELECT statement, signature FROM witness WHERE tree_size >= $from AND tree_size <= $to ORDER BY tree_size;";
        cmd.Parameters.AddWithValue("$from", fromSize);
        cmd.Parameters.AddWithValue("$to", toSize);
        using var r = cmd.ExecuteReader();
        var list = new List<(ReadOnlyMemory<byte>, ReadOnlyMemory<byte>)>();
        while (r.Read())
        {
            list.Add((LogRows.Blob(r, 0), LogRows.Blob(r, 1)));
        }

        return list;
    }

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
