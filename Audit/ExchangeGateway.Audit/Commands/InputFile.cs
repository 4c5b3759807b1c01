using ExchangeGateway.MessageLog.Evidence;

namespace ExchangeGateway.Audit.Commands;

/// <summary>Reads the files a command is given; a missing or unreadable file is a usage error (exit 2) reported once.</summary>
internal static class InputFile
{
    /// <summary>The largest anchor file read.</summary>
    public const int MaxAnchorBytes = 1024 * 1024;

    /// <summary>Reads a bundle file, or writes why not to <paramref name="error"/> and returns null.</summary>
    public static async Task<EvidenceBundle?> ReadBundleAsync(string path, TextWriter error)
    {
        string problem;
        try
        {
            var read = EvidenceBundleSerializer.ReadFile(path);
            if (read.Success)
            {
                return read.Value;
            }

            problem = $"{path}: {read.Message}";
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            problem = $"{path}: cannot be read: {ex.Message}";
        }

        await error.WriteLineAsync(problem).ConfigureAwait(false);
        return null;
    }

    /// <summary>Reads a small file (at most <paramref name="maxBytes"/>), or writes why not to <paramref name="error"/> and returns null.</summary>
    public static async Task<byte[]?> ReadSmallAsync(string path, int maxBytes, TextWriter error, CancellationToken cancellationToken)
    {
        try
        {
            var length = new FileInfo(path).Length;
            if (length > maxBytes)
            {
                await error.WriteLineAsync($"{path}: {length} bytes, more than the limit of {maxBytes}").ConfigureAwait(false);
                return null;
            }

            return await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"{path}: cannot be read: {ex.Message}").ConfigureAwait(false);
            return null;
        }
    }
}
