using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ExchangeGateway.Common.Crypto.Merkle;
using ExchangeGateway.MessageLog.Records;
using ExchangeGateway.MessageLog.Storage;

namespace ExchangeGateway.MessageLog.Archiving;

/// <summary>
/// Reads one archived record back from its archive file for <see cref="MessageLogStore.Read"/>: the entry
/// must be the record asked for, its canonical bytes must hash to the live row's leaf (so what is returned
/// is exactly what the signed checkpoints cover), and a body must hash to its digest. The archive's
/// signature and chain are the verifier's business, not a reader's: the leaf ties the content to the tree.
/// </summary>
internal static class ArchivedRecords
{
    public static RecordReadResult Read(
        string directory,
        long archiveId,
        string fileName,
        long sequence,
        MerkleHash liveLeaf,
        DateTimeOffset loggedAt,
        IReadOnlyList<X509Certificate2> decryption)
    {
        if (!string.Equals(fileName, ArchiveLayout.FileName(archiveId), StringComparison.Ordinal))
        {
            return Invalid(sequence, archiveId, $"the archive table names file '{fileName}' for archive {archiveId}");
        }

        var path = Path.Combine(directory, fileName);
        ArchiveFile archive;
        try
        {
            var opened = ArchiveFile.Open(path, hashFile: false);
            if (!opened.Success)
            {
                return Invalid(sequence, archiveId, $"archive {archiveId}: {opened.Message}");
            }

            archive = opened.Value;
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return RecordReadResult.Fail(RecordReadFailure.ArchiveUnavailable, sequence, archiveId, $"record {sequence} is in archive {archiveId}, but {path} is not there");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return RecordReadResult.Fail(RecordReadFailure.ArchiveUnavailable, sequence, archiveId, $"archive {archiveId} cannot be read: {ex.Message}");
        }

        using (archive)
        {
            try
            {
                return ReadOpened(archive, archiveId, sequence, liveLeaf, loggedAt, decryption);
            }
            catch (Exception ex) when (ex is IOException or InvalidDataException)
            {
                return Invalid(sequence, archiveId, $"archive {archiveId} cannot be read: {ex.Message}");
            }
        }
    }

    private static RecordReadResult ReadOpened(ArchiveFile archive, long archiveId, long sequence, MerkleHash liveLeaf, DateTimeOffset loggedAt, IReadOnlyList<X509Certificate2> decryption)
    {
        if (archive.Manifest is not { } manifest)
        {
            return Invalid(sequence, archiveId, $"archive {archiveId}: {archive.ManifestProblem}");
        }

        if (manifest.Id != archiveId || sequence < manifest.FirstSequence || sequence > manifest.LastSequence)
        {
            return Invalid(sequence, archiveId, $"archive {archiveId}'s manifest (archive {manifest.Id}, records {manifest.FirstSequence} to {manifest.LastSequence}) does not cover record {sequence}");
        }

        var reader = new RecordsPartReader(archive.Records);
        if (!reader.ReadMagic())
        {
            return Invalid(sequence, archiveId, $"archive {archiveId}: {reader.Problem}");
        }

        ArchiveEntry? entry = null;
        for (var s = manifest.FirstSequence; s <= sequence; s++)
        {
            if (!reader.TryRead(skipBody: s != sequence, out entry))
            {
                return Invalid(sequence, archiveId, $"archive {archiveId}: {reader.Problem}");
            }
        }

        if (entry!.Sequence != sequence)
        {
            return Invalid(sequence, archiveId, $"archive {archiveId}: the entry where record {sequence} belongs is record {entry.Sequence}");
        }

        var decoded = RecordDecoding.TryDecode(entry.Canonical);
        if (!decoded.Success || decoded.Value.Sequence != sequence || MerkleHasher.HashLeaf(entry.Canonical) != liveLeaf)
        {
            return Invalid(sequence, archiveId, $"archive {archiveId}: record {sequence} does not hash to the live log's leaf");
        }

        var (body, state, problem) = Body(archive, manifest, entry, decoded.Value.Record, decryption);
        if (problem is not null)
        {
            return Invalid(sequence, archiveId, $"archive {archiveId} record {sequence}: {problem}");
        }

        var record = decoded.Value.Record with { Body = body };
        return RecordReadResult.Ok(new StoredRecord(new LoggedRecord(sequence, record, liveLeaf, loggedAt), state, archiveId));
    }

    private static (ReadOnlyMemory<byte>? Body, RecordBodyState State, string? Problem) Body(
        ArchiveFile archive, ArchiveManifest manifest, ArchiveEntry entry, MessageRecord record, IReadOnlyList<X509Certificate2> decryption)
    {
        switch (entry.BodyKind)
        {
            case ArchivedBody.NotLogged:
                return (null, RecordBodyState.NotLogged, null);
            case ArchivedBody.Erased:
                return (null, RecordBodyState.Erased, null);
            case ArchivedBody.Plain:
                return Matches(entry.Body!, record)
                    ? (entry.Body, RecordBodyState.Present, null)
                    : (null, RecordBodyState.Present, "the body does not match the record's SHA-512 digest");
        }

        if (decryption.Count == 0)
        {
            return (null, RecordBodyState.Encrypted, null);
        }

        if (archive.WrappedKey is not { } wrapped || manifest.KeySha256 is not { } keyHash
            || !CryptographicOperations.FixedTimeEquals(SHA256.HashData(wrapped), keyHash.Span))
        {
            return (null, RecordBodyState.Encrypted, "the wrapped key is missing or does not match the manifest");
        }

        var key = ArchiveKeys.TryUnwrap(wrapped, decryption, out var problem);
        if (key is null)
        {
            // Not a broken archive: this server simply holds none of the recipients' keys.
            return (null, RecordBodyState.Encrypted, null);
        }

        try
        {
            using var aes = new AesGcm(key, ArchiveLayout.TagBytes);
            var plain = ArchiveKeys.TryDecrypt(aes, entry.Sequence, entry.Leaf, entry.Body!, entry.Tag!);
            return plain is not null && Matches(plain, record)
                ? (plain, RecordBodyState.Present, null)
                : (null, RecordBodyState.Encrypted, problem ?? "the encrypted body fails its tag or its digest");
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    private static bool Matches(byte[] body, MessageRecord record) =>
        body.Length == record.BodyLength && CryptographicOperations.FixedTimeEquals(SHA512.HashData(body), record.BodyDigest.Span);

    private static RecordReadResult Invalid(long sequence, long archiveId, string message) =>
        RecordReadResult.Fail(RecordReadFailure.ArchiveInvalid, sequence, archiveId, message);
}
