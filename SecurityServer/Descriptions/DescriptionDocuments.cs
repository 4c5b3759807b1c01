using System.Security.Cryptography;
using ExchangeGateway.SecurityServer.Registry;

namespace ExchangeGateway.SecurityServer.Descriptions;

/// <summary>
/// The stored description documents, <c>{DataDirectory}/descriptions/{sha256}</c>: content-addressed, so
/// two descriptions with the same bytes share one file and a file never changes once written (written
/// atomically, mode 0600).
/// </summary>
public sealed class DescriptionDocuments
{
    /// <summary>The folder name inside the data directory.</summary>
    public const string FolderName = "descriptions";

    /// <summary>Creates the store for <paramref name="dataDirectory"/>; nothing is touched until used.</summary>
    public DescriptionDocuments(string dataDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataDirectory);
        Directory = Path.GetFullPath(Path.Combine(dataDirectory, FolderName));
    }

    /// <summary>The full path of the folder.</summary>
    public string Directory { get; }

    /// <summary>SHA-256 of <paramref name="document"/> as 64 lowercase hex digits.</summary>
    public static string Sha256(ReadOnlySpan<byte> document) => Convert.ToHexStringLower(SHA256.HashData(document));

    /// <summary>Stores <paramref name="document"/> (when not stored already) and returns its SHA-256; throws <see cref="IOException"/> when it cannot be written.</summary>
    public string Save(ReadOnlySpan<byte> document)
    {
        var sha = Sha256(document);
        var path = PathOf(sha);
        if (!File.Exists(path))
        {
            AtomicFile.Write(path, document);
        }

        return sha;
    }

    /// <summary>The stored bytes, or null when there is no such document (or <paramref name="sha256"/> is not a SHA-256).</summary>
    public byte[]? Read(string sha256)
    {
        if (!LocalConfigurationRules.IsSha256Hex(sha256))
        {
            return null;
        }

        try
        {
            return File.ReadAllBytes(PathOf(sha256));
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Deletes the document when present; a failure to delete leaves a harmless orphan and is ignored.</summary>
    public void Delete(string sha256)
    {
        if (!LocalConfigurationRules.IsSha256Hex(sha256))
        {
            return;
        }

        try
        {
            File.Delete(PathOf(sha256));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // An unreferenced file costs only disk space.
        }
    }

    private string PathOf(string sha256) => Path.Combine(Directory, sha256);
}
