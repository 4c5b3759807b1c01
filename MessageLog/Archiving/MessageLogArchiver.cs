using System.Formats.Tar;
using System.Globalization;
using System.Security.Cryptography;
using ExchangeGateway.Common.Crypto.Merkle;
using ExchangeGateway.MessageLog.Records;
using ExchangeGateway.MessageLog.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace ExchangeGateway.MessageLog.Archiving;

/// <summary>
/// Body retention and archiving of a message log (MessageLog/README.md "Archives"). A pass erases the bodies
/// of records older than <see cref="ArchiverOptions.BodyRetention"/>, then moves records older than
/// <see cref="ArchiverOptions.ArchiveAfter"/> and covered by a time-stamped checkpoint, in sequence order,
/// into signed, chained archive files; the live rows keep their sequence, leaf hash and metadata, so
/// proofs, search and the tree are unchanged.
/// </summary>
/// <remarks>
/// <para>
/// Each archive is written to a temporary file, fsynced, renamed into place and the directory fsynced;
/// only then does one database transaction (through the store's writer, alone) record the archive and
/// empty its rows. A crash in between leaves a file the database does not name: the next pass writes
/// the same archive id again and replaces it, and the verifiers ignore it. A crash before the rename
/// leaves a <c>.tmp</c> file, removed by the next pass.
/// </para>
/// <para>Passes are serialised: the background loop and an operator's "run now" never overlap.</para>
/// </remarks>
public sealed class MessageLogArchiver : IDisposable
{
    private const UnixFileMode PrivateDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode PrivateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly MessageLogStore _store;
    private readonly ArchiverOptions _options;
    private readonly Func<byte[], CancellationToken, Task<byte[]>> _sign;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _pass = new(1, 1);

    /// <summary>Creates an archiver for <paramref name="store"/>; archives go to <see cref="MessageLogStore.ArchiveDirectory"/>.</summary>
    /// <param name="store">The log.</param>
    /// <param name="options">Ages, limits and encryption recipients; validated here.</param>
    /// <param name="sign">Makes a detached CMS signature over the given manifest bytes with the owner's signing key (the checkpoint signer).</param>
    /// <param name="time">The clock the ages are measured with.</param>
    /// <param name="logger">Where passes are reported.</param>
    public MessageLogArchiver(MessageLogStore store, ArchiverOptions options, Func<byte[], CancellationToken, Task<byte[]>> sign, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(sign);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        options.Validate();
        _store = store;
        _options = options;
        _sign = sign;
        _time = time;
        _logger = logger;
    }

    /// <summary>The options in force.</summary>
    public ArchiverOptions Options => _options;

    /// <summary>Runs a pass every <see cref="ArchiverOptions.Interval"/> until cancelled; returns normally on cancellation.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await RunOnceAsync(cancellationToken).ConfigureAwait(false);
                await Task.Delay(_options.Interval, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Runs one pass now (waiting for a pass under way to finish first) and reports what it did. A failure
    /// (the signer, the disk, the database, a record that does not match its leaf) stops the pass and is
    /// reported in <see cref="RetentionRunResult.Failure"/>; what was done before it stays done.
    /// </summary>
    public async Task<RetentionRunResult> RunOnceAsync(CancellationToken cancellationToken)
    {
        await _pass.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await PassAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _pass.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose() => _pass.Dispose();

    private async Task<RetentionRunResult> PassAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var stamped = _store.LastStampedCheckpoint?.TreeSize ?? 0;
        long erased = 0;
        long archivedThrough = 0;
        var archives = new List<ArchiveSummary>();
        string? failure = null;
        try
        {
            if (_options.BodyRetention is { } retention)
            {
                (erased, failure) = await EraseBodiesAsync(now - retention, cancellationToken).ConfigureAwait(false);
                if (erased > 0)
                {
                    ArchiveEvents.BodiesErased(_logger, erased, now - retention);
                }
            }

            if (failure is null && _options.ArchiveAfter is { } archiveAfter)
            {
                failure = await ArchiveAsync(now, now - archiveAfter, stamped, archives, cancellationToken).ConfigureAwait(false);
            }

            archivedThrough = ArchivedThrough();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (SqliteException ex)
        {
            failure ??= $"reading the log failed: {ex.Message}";
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            ArchiveEvents.PassBug(_logger, ex);
            failure = "internal error in the retention pass: " + ex.Message;
        }

        if (failure is not null)
        {
            ArchiveEvents.PassFailed(_logger, failure);
        }

        return new RetentionRunResult
        {
            StartedAt = now,
            BodiesErased = erased,
            RecordsArchived = archives.Sum(a => a.Records),
            Archives = archives,
            ArchivedThrough = archivedThrough,
            StampedTreeSize = stamped,
            Failure = failure,
        };
    }

    private async Task<(long Erased, string? Failure)> EraseBodiesAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        long total = 0;
        var cut = LogTime.ToUnixMicroseconds(cutoff);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var changed = 0;
            var written = await _store.WriteAloneAsync(
                (c, tx) =>
                {
                    using var cmd = c.CreateCommand();
                    cmd.Transaction = tx;
                    // record_body_at holds only rows that still have a body: erased rows are never read again.
                    cmd.CommandText = """
                        UPDATE record SET body = NULL, body_state = 1
                        WHERE seq IN (SELECT seq FROM record WHERE body IS NOT NULL AND at < $cutoff LIMIT $limit) AND body_state = 0;
                        """;
                    cmd.Parameters.AddWithValue("$cutoff", cut);
                    cmd.Parameters.AddWithValue("$limit", _options.EraseBatch);
                    changed = cmd.ExecuteNonQuery();
                },
                cancellationToken).ConfigureAwait(false);
            if (!written.IsSuccess)
            {
                return (total, $"erasing bodies failed: {written.Message}");
            }

            total += changed;
            if (changed < _options.EraseBatch)
            {
                return (total, null);
            }
        }
    }

    private async Task<string?> ArchiveAsync(DateTimeOffset now, DateTimeOffset cutoff, long stamped, List<ArchiveSummary> archives, CancellationToken cancellationToken)
    {
        var directory = _store.ArchiveDirectory;
        CreatePrivateDirectory(directory);
        RemoveTemporaryFiles(directory);
        using var connection = LogFiles.Open(_store.DatabasePath, SqliteOpenMode.ReadOnly, TimeSpan.FromSeconds(5));
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (summary, more, failure) = await ArchiveNextAsync(connection, directory, now, cutoff, stamped, cancellationToken).ConfigureAwait(false);
            if (summary is not null)
            {
                archives.Add(summary);
                ArchiveEvents.Archived(_logger, summary.Id, summary.FirstSequence, summary.LastSequence, summary.FileName, summary.Bytes, summary.Bodies, summary.Encrypted);
            }

            if (failure is not null || !more)
            {
                return failure;
            }
        }
    }

    private async Task<(ArchiveSummary? Summary, bool More, string? Failure)> ArchiveNextAsync(
        SqliteConnection connection, string directory, DateTimeOffset now, DateTimeOffset cutoff, long stamped, CancellationToken cancellationToken)
    {
        var (previousId, previousLast, previousManifest) = LastArchive(connection);
        var id = previousId + 1;
        var first = previousLast + 1;
        if (first > stamped)
        {
            return (null, false, null);
        }

        var fileName = ArchiveLayout.FileName(id);
        var path = Path.Combine(directory, fileName);
        var temporary = path + ArchiveLayout.TemporarySuffix;
        var recordsPath = Path.Combine(directory, $"xgw-archive-{Text(id)}.records{ArchiveLayout.TemporarySuffix}");
        var key = _options.EncryptionCertificates.Count > 0 ? ArchiveKeys.NewKey() : null;
        try
        {
            Collected collected;
            using (var recordsFile = CreatePrivateFile(recordsPath))
            {
                using var hashing = new HashingStream(new BufferedStream(recordsFile, 64 * 1024), leaveOpen: true);
                using (var writer = new RecordsPartWriter(hashing, key))
                {
                    collected = Collect(connection, writer, hashing, first, stamped, cutoff, now);
                }

                hashing.Flush();
                collected = collected with { RecordsSha256 = hashing.Hash() };
                recordsFile.Flush(flushToDisk: false);
            }

            if (collected.Failure is not null || collected.Count == 0)
            {
                File.Delete(recordsPath);
                return (null, false, collected.Failure);
            }

            var wrapped = key is null ? null : ArchiveKeys.Wrap(key, _options.EncryptionCertificates);
            var manifest = new ArchiveManifest(
                _options.ServerId.ToString(),
                id,
                first,
                collected.Last,
                LogTime.Truncate(now),
                collected.RecordsSha256!,
                // A bare null here would convert through byte[] to an empty memory, not to null.
                previousManifest is { } previous ? previous : (ReadOnlyMemory<byte>?)null,
                wrapped is { } w ? SHA256.HashData(w) : (ReadOnlyMemory<byte>?)null);
            var manifestBytes = manifest.Encode();
            byte[] signature;
            try
            {
                signature = await _sign(manifestBytes, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
            {
                File.Delete(recordsPath);
                return (null, false, $"archive {Text(id)}'s manifest cannot be signed: {ex.Message}");
            }

            var (fileSha256, bytes) = WriteArchive(temporary, manifest, manifestBytes, signature, wrapped, recordsPath);
            if (File.Exists(path))
            {
                ArchiveEvents.OrphanReplaced(_logger, fileName, id);
            }

            File.Move(temporary, path, overwrite: true);
            DirectorySync.Flush(directory);
            File.Delete(recordsPath);

            var recorded = await RecordAsync(manifest, fileName, fileSha256, SHA256.HashData(manifestBytes), collected.Count, cancellationToken).ConfigureAwait(false);
            if (recorded is not null)
            {
                // The file stays as an orphan the database does not name: the next pass replaces it.
                return (null, false, recorded);
            }

            var summary = new ArchiveSummary(id, first, collected.Last, fileName, bytes, collected.Bodies, wrapped is not null);
            return (summary, collected.Full, null);
        }
        catch (IOException ex)
        {
            TryDelete(recordsPath);
            TryDelete(temporary);
            return (null, false, $"archive {Text(id)} cannot be written: {ex.Message}");
        }
        catch (UnauthorizedAccessException ex)
        {
            TryDelete(recordsPath);
            TryDelete(temporary);
            return (null, false, $"archive {Text(id)} cannot be written: {ex.Message}");
        }
        finally
        {
            if (key is not null)
            {
                CryptographicOperations.ZeroMemory(key);
            }
        }
    }

    // Reads the records to archive, from `first`, in sequence order, while they are old enough and under the
    // stamped checkpoint, and writes them into the records part. Every record is re-checked against its leaf
    // first: an archive must never carry content the tree does not cover.
    private Collected Collect(SqliteConnection connection, RecordsPartWriter writer, HashingStream part, long first, long stamped, DateTimeOffset cutoff, DateTimeOffset now)
    {
        var bodyCutoff = _options.BodyRetention is { } retention ? now - retention : (DateTimeOffset?)null;
        using var cmd = connection.CreateCommand();
        cmd.CommandText = $"SELECT {LogSchema.RecordColumns}, body_state FROM record WHERE seq >= $first AND seq <= $last ORDER BY seq;";
        cmd.Parameters.AddWithValue("$first", first);
        cmd.Parameters.AddWithValue("$last", Math.Min(stamped, first + _options.MaxRecordsPerArchive - 1));
        using var r = cmd.ExecuteReader();
        var expected = first;
        long bodies = 0;
        while (r.Read())
        {
            var sequence = r.GetInt64(0);
            if (sequence != expected)
            {
                return Collected.Failed($"record {Text(expected)} is missing from the log; nothing was archived. Run the verifier.");
            }

            LoggedRecord row;
            try
            {
                row = LogRows.ReadRecord(r);
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidCastException or OverflowException)
            {
                return Collected.Failed($"record {Text(sequence)} is malformed ({ex.Message}); nothing was archived. Run the verifier.");
            }

            if (row.Record.At >= cutoff)
            {
                break;
            }

            var state = r.GetInt64(LogSchema.RecordColumnCount);
            if (state is not (LogSchema.BodyAsWritten or LogSchema.BodyErased))
            {
                return Collected.Failed($"record {Text(sequence)} has body state {Text(state)} but no archive holds it; nothing was archived. Run the verifier.");
            }

            byte[] canonical;
            try
            {
                canonical = RecordEncoding.Canonical(sequence, row.Record);
            }
            catch (ArgumentException ex)
            {
                return Collected.Failed($"record {Text(sequence)} is malformed ({ex.Message}); nothing was archived. Run the verifier.");
            }

            if (MerkleHasher.HashLeaf(canonical) != row.LeafHash)
            {
                return Collected.Failed($"record {Text(sequence)} does not match its leaf hash; nothing was archived. Run the verifier.");
            }

            var body = row.Record.Body;
            var noBody = state == LogSchema.BodyErased ? ArchivedBody.Erased : ArchivedBody.NotLogged;
            if (body is not null && bodyCutoff is { } erasedBefore && row.Record.At < erasedBefore)
            {
                // Past body retention (a record written after this pass's erase started): not carried.
                body = null;
                noBody = ArchivedBody.Erased;
            }
            else if (body is { } kept)
            {
                if (kept.Length != row.Record.BodyLength || !CryptographicOperations.FixedTimeEquals(SHA512.HashData(kept.Span), row.Record.BodyDigest.Span))
                {
                    return Collected.Failed($"the body of record {Text(sequence)} does not match its digest; nothing was archived. Run the verifier.");
                }

                bodies++;
            }

            writer.Write(sequence, row.LeafHash, canonical, body, noBody);
            expected++;
            if (part.Count >= _options.MaxArchiveBytes)
            {
                return new Collected(expected - first, expected - 1, bodies, null, true, null);
            }
        }

        var count = expected - first;
        return new Collected(count, expected - 1, bodies, null, count == _options.MaxRecordsPerArchive, null);
    }

    private static (byte[] FileSha256, long Bytes) WriteArchive(string temporary, ArchiveManifest manifest, byte[] manifestBytes, byte[] signature, byte[]? wrapped, string recordsPath)
    {
        using var file = CreatePrivateFile(temporary);
        using (var hashing = new HashingStream(new BufferedStream(file, 64 * 1024), leaveOpen: false))
        {
            using (var tar = new TarWriter(hashing, TarEntryFormat.Ustar, leaveOpen: true))
            {
                tar.WriteEntry(Entry(ArchiveLayout.ManifestEntry, manifest.CreatedAt, new MemoryStream(manifestBytes, writable: false)));
                tar.WriteEntry(Entry(ArchiveLayout.SignatureEntry, manifest.CreatedAt, new MemoryStream(signature, writable: false)));
                if (wrapped is not null)
                {
                    tar.WriteEntry(Entry(ArchiveLayout.KeyEntry, manifest.CreatedAt, new MemoryStream(wrapped, writable: false)));
                }

                using var records = new FileStream(recordsPath, FileMode.Open, FileAccess.Read, FileShare.None, 64 * 1024, FileOptions.SequentialScan);
                tar.WriteEntry(Entry(ArchiveLayout.RecordsEntry, manifest.CreatedAt, records));
            }

            hashing.Flush();
            var result = (hashing.Hash(), hashing.Count);
            file.Flush(flushToDisk: true);
            return result;
        }
    }

    private static UstarTarEntry Entry(string name, DateTimeOffset modified, Stream data) => new(TarEntryType.RegularFile, name)
    {
        DataStream = data,
        ModificationTime = modified,
        Mode = PrivateFile,
    };

    // The archive's row and the emptied live rows, in one transaction alone: all or nothing.
    private async Task<string?> RecordAsync(ArchiveManifest manifest, string fileName, byte[] fileSha256, byte[] manifestSha256, long count, CancellationToken cancellationToken)
    {
        string? problem = null;
        var written = await _store.WriteAloneAsync(
            (c, tx) =>
            {
                tx.Save("archive");
                var newest = LogFiles.Scalar<long?>(c, tx, "SELECT MAX(id) FROM archive;") ?? 0;
                if (newest != manifest.Id - 1)
                {
                    problem = $"archive {Text(manifest.Id)} was not recorded: the archive table's newest is now {Text(newest)}";
                    tx.Rollback("archive");
                    tx.Release("archive");
                    return;
                }

                using (var insert = c.CreateCommand())
                {
                    insert.Transaction = tx;
                    insert.CommandText = """
                        INSERT INTO archive (id, first_seq, last_seq, file_name, file_sha256, manifest_sha256, previous_sha256, created_at, encrypted)
                        VALUES ($id, $first, $last, $file, $sha, $manifest, $previous, $created, $encrypted);
                        """;
                    insert.Parameters.AddWithValue("$id", manifest.Id);
                    insert.Parameters.AddWithValue("$first", manifest.FirstSequence);
                    insert.Parameters.AddWithValue("$last", manifest.LastSequence);
                    insert.Parameters.AddWithValue("$file", fileName);
                    insert.Parameters.AddWithValue("$sha", fileSha256);
                    insert.Parameters.AddWithValue("$manifest", manifestSha256);
                    insert.Parameters.AddWithValue("$previous", manifest.PreviousSha256 is { } previous ? previous.ToArray() : DBNull.Value);
                    insert.Parameters.AddWithValue("$created", LogTime.ToUnixMicroseconds(manifest.CreatedAt));
                    insert.Parameters.AddWithValue("$encrypted", manifest.Encrypted ? 1 : 0);
                    insert.ExecuteNonQuery();
                }

                using var update = c.CreateCommand();
                update.Transaction = tx;
                update.CommandText = """
                    UPDATE record SET body_state = 2, archive_id = $id, head = x'', signature = x'', ocsp = x'', body = NULL
                    WHERE seq BETWEEN $first AND $last AND body_state IN (0, 1);
                    """;
                update.Parameters.AddWithValue("$id", manifest.Id);
                update.Parameters.AddWithValue("$first", manifest.FirstSequence);
                update.Parameters.AddWithValue("$last", manifest.LastSequence);
                var changed = update.ExecuteNonQuery();
                if (changed != count)
                {
                    problem = $"archive {Text(manifest.Id)} was not recorded: {Text(changed)} of its {Text(count)} live rows could be emptied";
                    tx.Rollback("archive");
                }

                tx.Release("archive");
            },
            cancellationToken).ConfigureAwait(false);
        return written.IsSuccess ? problem : $"archive {Text(manifest.Id)} was written but not recorded in the database: {written.Message}";
    }

    private static (long Id, long Last, byte[]? ManifestSha256) LastArchive(SqliteConnection connection)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT id, last_seq, manifest_sha256 FROM archive ORDER BY id DESC LIMIT 1;";
        using var r = cmd.ExecuteReader();
        return r.Read() ? (r.GetInt64(0), r.GetInt64(1), LogRows.Blob(r, 2)) : (0, 0, null);
    }

    private long ArchivedThrough()
    {
        using var connection = LogFiles.Open(_store.DatabasePath, SqliteOpenMode.ReadOnly, TimeSpan.FromSeconds(5));
        return LogFiles.Scalar<long?>(connection, null, "SELECT MAX(last_seq) FROM archive;") ?? 0;
    }

    private static void CreatePrivateDirectory(string directory)
    {
        if (Directory.Exists(directory))
        {
            return;
        }

        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
        }
        else
        {
            Directory.CreateDirectory(directory, PrivateDirectory);
        }
    }

    private static FileStream CreatePrivateFile(string path)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.ReadWrite, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            // Archives hold message bodies and personal data, like the log: readable by the service account only.
            options.UnixCreateMode = PrivateFile;
        }

        return new FileStream(path, options);
    }

    // Left by a pass that stopped before its rename: never named by the database, never read.
    private static void RemoveTemporaryFiles(string directory)
    {
        foreach (var file in Directory.EnumerateFiles(directory, "xgw-archive-*" + ArchiveLayout.TemporarySuffix))
        {
            TryDelete(file);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: the next pass removes it.
        }
        catch (UnauthorizedAccessException)
        {
            // Best effort: the next pass removes it.
        }
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

    private sealed record Collected(long Count, long Last, long Bodies, byte[]? RecordsSha256, bool Full, string? Failure)
    {
        public static Collected Failed(string failure) => new(0, 0, 0, null, false, failure);
    }
}
