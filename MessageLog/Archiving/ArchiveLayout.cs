using System.Globalization;
using System.Text.RegularExpressions;

namespace ExchangeGateway.MessageLog.Archiving;

/// <summary>
/// The archive file: a POSIX ustar tar (so <c>tar -xf</c> takes it apart for OpenSSL) holding, in this
/// order, <c>manifest.txt</c>, <c>manifest.p7s</c>, <c>key.p7m</c> (only when bodies are encrypted) and
/// <c>records.bin</c>. MessageLog/README.md "Archives" documents every part.
/// </summary>
internal static partial class ArchiveLayout
{
    public const string ManifestEntry = "manifest.txt";
    public const string SignatureEntry = "manifest.p7s";
    public const string KeyEntry = "key.p7m";
    public const string RecordsEntry = "records.bin";

    /// <summary>The archive file's extension.</summary>
    public const string Extension = ".xgwa";

    /// <summary>A file being written; removed (or replaced) by the next pass.</summary>
    public const string TemporarySuffix = ".tmp";

    /// <summary>The records part's first bytes.</summary>
    public static ReadOnlySpan<byte> RecordsMagic => "xgw-archive-records/v1\n"u8;

    /// <summary>The largest signature and wrapped-key parts accepted (a CMS with a certificate chain).</summary>
    public const int MaxCmsBytes = 256 * 1024;

    /// <summary>The largest canonical record accepted (heads, signatures and OCSP responses are far smaller).</summary>
    public const int MaxCanonicalBytes = 16 * 1024 * 1024;

    /// <summary>The largest body accepted (the security server's own limit is at most 1 GiB).</summary>
    public const long MaxBodyBytes = 1L << 30;

    /// <summary>AES-256-GCM: 32-byte key, 12-byte nonce, 16-byte tag.</summary>
    public const int KeyBytes = 32;

    public const int NonceBytes = 12;

    public const int TagBytes = 16;

    /// <summary><c>xgw-archive-&lt;id&gt;.xgwa</c>, the id in decimal.</summary>
    public static string FileName(long id) => string.Create(CultureInfo.InvariantCulture, $"xgw-archive-{id}{Extension}");

    /// <summary>The archive id a file name carries, or null when it is not an archive's name.</summary>
    public static long? IdOf(string fileName)
    {
        var match = FileNamePattern().Match(fileName);
        return match.Success && long.TryParse(match.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0
            && string.Equals(FileName(id), fileName, StringComparison.Ordinal)
            ? id
            : null;
    }

    /// <summary>The AES-GCM nonce of the body of record <paramref name="sequence"/>: four zero bytes, then the sequence (u64, big-endian). Unique per record, and the key is fresh per archive.</summary>
    public static byte[] Nonce(long sequence)
    {
        var nonce = new byte[NonceBytes];
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(nonce.AsSpan(4), sequence);
        return nonce;
    }

    [GeneratedRegex("^xgw-archive-([1-9][0-9]{0,18})\\.xgwa$", RegexOptions.CultureInvariant)]
    private static partial Regex FileNamePattern();
}
