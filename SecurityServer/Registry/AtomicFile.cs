namespace ExchangeGateway.SecurityServer.Registry;

/// <summary>
/// Replaces a file so that readers see the old bytes or the new ones, never a mix: write a temporary file
/// in the same directory (mode 0600 on Unix, flushed to disk), then rename it over the target. The rename
/// is atomic on POSIX file systems; after a crash the file holds the old or the new bytes, never a mix.
/// </summary>
internal static class AtomicFile
{
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/> atomically; throws <see cref="IOException"/> on failure, leaving the old file.</summary>
    public static void Write(string path, ReadOnlySpan<byte> bytes)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        if (!Directory.Exists(directory))
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(directory);
            }
            else
            {
                Directory.CreateDirectory(directory, OwnerOnlyDirectory);
            }
        }

        var temp = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerReadWrite;
        }

        try
        {
            using (var stream = new FileStream(temp, options))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
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
            // The temporary file is harmless; the original error matters.
        }
        catch (UnauthorizedAccessException)
        {
            // As above.
        }
    }
}
