using System.Text.Json;
using ExchangeGateway.MessageLog.Evidence;

namespace ExchangeGateway.Audit.Commands;

/// <summary>
/// Reads the files the commands are given: a bundle (<c>verify</c>, <c>extract</c>), an export (<c>verify-log</c>,
/// <c>reconcile</c>) and the small files beside them, the auditor's anchor and witness statements. A missing or
/// unreadable file is a usage error (exit 2), reported once on the error output.
/// </summary>
internal static class InputFile
{
    /// <summary>The largest anchor or witness file read.</summary>
    public const int MaxSmallFileBytes = 1024 * 1024;

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

    /// <summary>The auditor's anchor file (null, and Ok, when none was given); Ok is false when it cannot be read.</summary>
    public static async Task<(ReadOnlyMemory<byte>? Anchor, bool Ok)> ReadAnchorAsync(string? path, TextWriter error, CancellationToken cancellationToken)
    {
        if (path is null)
        {
            return (null, true);
        }

        var bytes = await ReadSmallAsync(path, error, cancellationToken).ConfigureAwait(false);
        return bytes is null ? (null, false) : (bytes, true);
    }

    /// <summary>
    /// Witness files, each <c>{"statement":base64,"signature":base64}</c> as the Central Server's witness API
    /// returns it; null when one cannot be read.
    /// </summary>
    public static async Task<List<(ReadOnlyMemory<byte> Statement, ReadOnlyMemory<byte> Signature)>?> ReadWitnessesAsync(
        IEnumerable<string> paths, TextWriter error, CancellationToken cancellationToken)
    {
        var witnesses = new List<(ReadOnlyMemory<byte>, ReadOnlyMemory<byte>)>();
        foreach (var path in paths)
        {
            var bytes = await ReadSmallAsync(path, error, cancellationToken).ConfigureAwait(false);
            if (bytes is null)
            {
                return null;
            }

            if (ParseWitness(bytes) is not { } witness)
            {
                await error.WriteLineAsync($"{path}: not a witness statement file: expected {{\"statement\":base64,\"signature\":base64}}").ConfigureAwait(false);
                return null;
            }

            witnesses.Add(witness);
        }

        return witnesses;
    }

    /// <summary>Opens an export for reading, or writes why not and returns null.</summary>
    public static async Task<FileStream?> OpenExportAsync(string path, TextWriter error)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"{path}: cannot be read: {ex.Message}").ConfigureAwait(false);
            return null;
        }
    }

    private static (ReadOnlyMemory<byte>, ReadOnlyMemory<byte>)? ParseWitness(byte[] bytes)
    {
        try
        {
            using var document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 4 });
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            byte[]? statement = null;
            byte[]? signature = null;
            foreach (var property in root.EnumerateObject())
            {
                if (property.Value.ValueKind != JsonValueKind.String || !property.Value.TryGetBytesFromBase64(out var value))
                {
                    return null;
                }

                switch (property.Name)
                {
                    case "statement" when statement is null:
                        statement = value;
                        break;
                    case "signature" when signature is null:
                        signature = value;
                        break;
                    default:
                        // Unknown or repeated: not the file the Central Server hands out.
                        return null;
                }
            }

            return statement is null || signature is null ? null : (statement, signature);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static async Task<byte[]?> ReadSmallAsync(string path, TextWriter error, CancellationToken cancellationToken)
    {
        try
        {
            var length = new FileInfo(path).Length;
            if (length > MaxSmallFileBytes)
            {
                await error.WriteLineAsync($"{path}: {length} bytes, more than the limit of {MaxSmallFileBytes}").ConfigureAwait(false);
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
