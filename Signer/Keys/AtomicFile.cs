namespace ExchangeGateway.Signer.Keys;

/// <summary>
/// Whole-file writes that a crash cannot leave half done: the bytes go to a temporary file in the same
/// directory, are flushed to disk, and the temporary file is renamed over (or, for keys, next to) the
/// target. rename(2) within one file system is atomic, so readers see the old file or the new one.
/// </summary>
internal static class AtomicFile
{
    /// <summary>Owner read and write only (0600).</summary>
    public const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Owner read and write, everyone read (0644): certificates and OCSP responses are public.</summary>
    public const UnixFileMode PublicRead = OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>Writes <paramref name="content"/> to <paramref name="path"/>, replacing any file there.</summary>
    public static void Write(string path, ReadOnlySpan<byte> content, UnixFileMode mode) =>
        Write(path, content, mode, overwrite: true);

    /// <summary>
    /// Writes <paramref name="content"/> to <paramref name="path"/> only if no file is there; false
    /// (and nothing written) when one is. Keys are never replaced by accident: a registered
    /// certificate would lose its key.
    /// </summary>
    public static bool TryCreate(string path, ReadOnlySpan<byte> content, UnixFileMode mode)
    {
        if (File.Exists(path))
        {
            return false;
        }

        try
        {
            Write(path, content, mode, overwrite: false);
            return true;
        }
        catch (IOException) when (File.Exists(path))
        {
            return false;
        }
    }

    private static void Write(string path, ReadOnlySpan<byte> content, UnixFileMode mode, bool overwrite)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var temp = Path.Combine(directory, "." + Path.GetFileName(path) + "." + Guid.NewGuid().ToString("N") + ".tmp");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            // Set at creation, so the secret is never readable by others, not even for a moment.
            options.UnixCreateMode = mode;
        }

        try
        {
            using (var stream = new FileStream(temp, options))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, path, overwrite);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }
}
