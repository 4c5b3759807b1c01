using System.Formats.Tar;
using ExchangeGateway.Common.Results;

namespace ExchangeGateway.MessageLog.Archiving;

/// <summary>
/// An archive file opened for reading: its manifest, signature and wrapped key read into memory, and the
/// records part positioned for <see cref="RecordsPartReader"/>. Opening checks the container only (the
/// parts, their order and sizes); every judgement of content is the caller's.
/// </summary>
internal sealed class ArchiveFile : IDisposable
{
    private readonly FileStream _file;
    private readonly HashingStream? _hashing;
    private readonly TarReader _tar;

    private ArchiveFile(string path, FileStream file, HashingStream? hashing, TarReader tar, byte[] manifestBytes, ArchiveManifest? manifest, string? manifestProblem, byte[] signature, byte[]? wrappedKey, Stream records, long recordsLength)
    {
        Path = path;
        _file = file;
        _hashing = hashing;
        _tar = tar;
        ManifestBytes = manifestBytes;
        Manifest = manifest;
        ManifestProblem = manifestProblem;
        Signature = signature;
        WrappedKey = wrappedKey;
        Records = records;
        RecordsLength = recordsLength;
    }

    public string Path { get; }

    public byte[] ManifestBytes { get; }

    /// <summary>The parsed manifest; null when it does not parse (<see cref="ManifestProblem"/>).</summary>
    public ArchiveManifest? Manifest { get; }

    public string? ManifestProblem { get; }

    public byte[] Signature { get; }

    public byte[]? WrappedKey { get; }

    /// <summary>The records part, read once from its start.</summary>
    public Stream Records { get; }

    public long RecordsLength { get; }

    /// <summary>Opens <paramref name="path"/>; a failure names what is wrong with the container.</summary>
    /// <param name="path">The archive file.</param>
    /// <param name="hashFile">Hash every byte read, for <see cref="FileSha256"/>; the records part then reads only forwards.</param>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="UnauthorizedAccessException">The file cannot be read.</exception>
    public static ParseResult<ArchiveFile> Open(string path, bool hashFile)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1, FileOptions.SequentialScan);
        HashingStream? hashing = null;
        TarReader? tar = null;
        try
        {
            hashing = hashFile ? new HashingStream(new BufferedStream(file, 64 * 1024), leaveOpen: false) : null;
            tar = new TarReader((Stream?)hashing ?? file, leaveOpen: true);
            var manifestEntry = Next(tar, ArchiveLayout.ManifestEntry, ArchiveManifest.MaxLength, out var problem);
            var manifestBytes = manifestEntry is null ? null : ReadAll(manifestEntry);
            var signatureEntry = manifestBytes is null ? null : Next(tar, ArchiveLayout.SignatureEntry, ArchiveLayout.MaxCmsBytes, out problem);
            var signature = signatureEntry is null ? null : ReadAll(signatureEntry);
            var entry = signature is null ? null : tar.GetNextEntry(copyData: false);
            byte[]? wrappedKey = null;
            if (entry is not null && string.Equals(entry.Name, ArchiveLayout.KeyEntry, StringComparison.Ordinal))
            {
                if (!IsFile(entry, ArchiveLayout.MaxCmsBytes, out problem))
                {
                    entry = null;
                }
                else
                {
                    wrappedKey = ReadAll(entry);
                    entry = tar.GetNextEntry(copyData: false);
                }
            }

            if (signature is not null && problem is null)
            {
                if (entry is null || !string.Equals(entry.Name, ArchiveLayout.RecordsEntry, StringComparison.Ordinal))
                {
                    problem = $"the part after the signature is {(entry is null ? "missing" : "'" + entry.Name + "'")}, not {ArchiveLayout.RecordsEntry}";
                }
                else if (!IsFile(entry, long.MaxValue, out problem))
                {
                    entry = null;
                }
            }

            if (problem is not null || manifestBytes is null || signature is null || entry?.DataStream is not { } records)
            {
                return Failed(file, hashing, tar, problem ?? "the archive's parts are incomplete");
            }

            var parsed = ArchiveManifest.Parse(manifestBytes);
            return ParseResult<ArchiveFile>.Ok(new ArchiveFile(
                path,
                file,
                hashing,
                tar,
                manifestBytes,
                parsed.Success ? parsed.Value : null,
                parsed.Success ? null : parsed.Message,
                signature,
                wrappedKey,
                hashing is null ? new BufferedStream(records, 64 * 1024) : records,
                entry.Length));
        }
        catch (InvalidDataException ex)
        {
            return Failed(file, hashing, tar, $"the file is not a well-formed tar archive: {ex.Message}");
        }
        catch (EndOfStreamException ex)
        {
            return Failed(file, hashing, tar, $"the tar archive is truncated: {ex.Message}");
        }
        catch (FormatException ex)
        {
            return Failed(file, hashing, tar, $"the file is not a well-formed tar archive: {ex.Message}");
        }
        catch
        {
            tar?.Dispose();
            hashing?.Dispose();
            file.Dispose();
            throw;
        }
    }

    /// <summary>True when nothing but tar padding follows the records part (no extra parts).</summary>
    public bool NoFurtherParts(out string? problem)
    {
        problem = null;
        try
        {
            if (_tar.GetNextEntry(copyData: false) is { } extra)
            {
                problem = $"the archive holds an unexpected part '{extra.Name}' after {ArchiveLayout.RecordsEntry}";
                return false;
            }

            return true;
        }
        catch (Exception ex) when (ex is InvalidDataException or EndOfStreamException or FormatException)
        {
            problem = $"the tar archive is malformed after {ArchiveLayout.RecordsEntry}: {ex.Message}";
            return false;
        }
    }

    /// <summary>
    /// SHA-256 of the whole file, once the records part and <see cref="NoFurtherParts"/> were read: reads the
    /// rest (tar's end blocks) and hashes it with everything read before. Only when opened with hashFile.
    /// </summary>
    public byte[] FileSha256()
    {
        var hashing = _hashing ?? throw new InvalidOperationException("The archive was not opened for hashing.");
        hashing.CopyTo(Stream.Null);
        return hashing.Hash();
    }

    public void Dispose()
    {
        Records.Dispose();
        _tar.Dispose();
        _hashing?.Dispose();
        _file.Dispose();
    }

    private static ParseResult<ArchiveFile> Failed(FileStream file, HashingStream? hashing, TarReader? tar, string problem)
    {
        tar?.Dispose();
        hashing?.Dispose();
        file.Dispose();
        return ParseResult<ArchiveFile>.Fail(ArchiveManifest.MalformedCode, problem);
    }

    private static TarEntry? Next(TarReader tar, string name, long maxBytes, out string? problem)
    {
        var entry = tar.GetNextEntry(copyData: false);
        if (entry is null || !string.Equals(entry.Name, name, StringComparison.Ordinal))
        {
            problem = $"the archive's part is {(entry is null ? "missing" : "'" + entry.Name + "'")} where {name} belongs";
            return null;
        }

        return IsFile(entry, maxBytes, out problem) ? entry : null;
    }

    private static bool IsFile(TarEntry entry, long maxBytes, out string? problem)
    {
        problem = null;
        if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile))
        {
            problem = $"the archive's part {entry.Name} is not a regular file";
            return false;
        }

        if (entry.Length > maxBytes)
        {
            problem = $"the archive's part {entry.Name} is {entry.Length} bytes, more than {maxBytes}";
            return false;
        }

        return true;
    }

    private static byte[] ReadAll(TarEntry entry)
    {
        var bytes = new byte[entry.Length];
        if (entry.DataStream is { } data)
        {
            data.ReadExactly(bytes);
        }

        return bytes;
    }
}
