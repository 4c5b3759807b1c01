using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ExchangeGateway.Common.Results;
using ExchangeGateway.MessageLog.Records;

namespace ExchangeGateway.MessageLog.Archiving;

/// <summary>
/// What an archive asserts, in the text its owner signs: server <see cref="ServerId"/>'s records
/// <see cref="FirstSequence"/> to <see cref="LastSequence"/> are in this archive's records part, whose SHA-256
/// is <see cref="RecordsSha256"/>, and the archive before it had the manifest whose SHA-256 is
/// <see cref="PreviousSha256"/> (the chain).
/// </summary>
/// <remarks>
/// Ten lines of UTF-8, each ending in one LF, nothing else, in this order (MessageLog/README.md "Archives"):
/// <code>
/// xgw-message-log-archive/v1
/// server DEV/GOV/70000001/ss1
/// archive 7
/// first 1001
/// last 2000
/// created 2026-01-01T00:00:00.123456Z
/// records-sha256 (64 lower-case hex digits)
/// previous-sha256 (64 lower-case hex digits, or none for archive 1)
/// encryption none | aes-256-gcm
/// key-sha256 (64 lower-case hex digits of the wrapped key part, or none)
/// </code>
/// </remarks>
/// <param name="ServerId">The security server whose log this is.</param>
/// <param name="Id">The archive's number: 1, 2, … in sequence order without gaps.</param>
/// <param name="FirstSequence">The first record in the archive.</param>
/// <param name="LastSequence">The last record; every sequence between is in the archive.</param>
/// <param name="CreatedAt">When the archive was made (microsecond precision).</param>
/// <param name="RecordsSha256">SHA-256 of the records part.</param>
/// <param name="PreviousSha256">SHA-256 of the previous archive's manifest; null for archive 1.</param>
/// <param name="KeySha256">SHA-256 of the wrapped-key part (CMS EnvelopedData) when bodies are encrypted; null otherwise.</param>
public sealed record ArchiveManifest(
    string ServerId,
    long Id,
    long FirstSequence,
    long LastSequence,
    DateTimeOffset CreatedAt,
    ReadOnlyMemory<byte> RecordsSha256,
    ReadOnlyMemory<byte>? PreviousSha256,
    ReadOnlyMemory<byte>? KeySha256)
{
    /// <summary>The first line of every manifest.</summary>
    public const string Header = "xgw-message-log-archive/v1";

    /// <summary>The error code of a manifest that does not parse.</summary>
    public const string MalformedCode = "messagelog.invalid_archive_manifest";

    /// <summary>The <c>encryption</c> value of an archive whose bodies are encrypted.</summary>
    public const string Aes256Gcm = "aes-256-gcm";

    /// <summary>The longest manifest accepted.</summary>
    public const int MaxLength = 2048;

    private const string None = "none";
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private static readonly string[] Keys = ["server", "archive", "first", "last", "created", "records-sha256", "previous-sha256", "encryption", "key-sha256"];

    /// <summary>True when the archive's bodies are encrypted (a wrapped-key part is present).</summary>
    public bool Encrypted => KeySha256 is not null;

    /// <summary>Records in the archive.</summary>
    public long RecordCount => LastSequence - FirstSequence + 1;

    /// <summary>The canonical bytes (what the owner signs, and what the next archive's chain hash covers).</summary>
    /// <exception cref="ArgumentException">A field is out of range.</exception>
    public byte[] Encode()
    {
        if (string.IsNullOrEmpty(ServerId) || ServerId.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)))
        {
            throw new ArgumentException("An archive's server id must be non-empty text without spaces or control characters.", nameof(ServerId));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(Id, 1, nameof(Id));
        ArgumentOutOfRangeException.ThrowIfLessThan(FirstSequence, 1, nameof(FirstSequence));
        ArgumentOutOfRangeException.ThrowIfLessThan(LastSequence, FirstSequence, nameof(LastSequence));
        var text = string.Create(
            CultureInfo.InvariantCulture,
            $"{Header}\nserver {ServerId}\narchive {Id}\nfirst {FirstSequence}\nlast {LastSequence}\ncreated {LogTime.Format(CreatedAt)}\nrecords-sha256 {Hex(RecordsSha256)}\nprevious-sha256 {OptionalHex(PreviousSha256)}\nencryption {(Encrypted ? Aes256Gcm : None)}\nkey-sha256 {OptionalHex(KeySha256)}\n");
        return Utf8.GetBytes(text);
    }

    /// <summary>SHA-256 of <see cref="Encode"/>: what the next archive names as its previous.</summary>
    public byte[] Sha256() => SHA256.HashData(Encode());

    /// <summary>Parses the canonical form strictly: anything <see cref="Encode"/> would not write is refused.</summary>
    public static ParseResult<ArchiveManifest> Parse(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > MaxLength)
        {
            return Fail($"the manifest is {bytes.Length} bytes, more than {MaxLength}");
        }

        string text;
        try
        {
            text = Utf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return Fail("the manifest is not UTF-8");
        }

        var lines = text.Split('\n');
        if (lines.Length != Keys.Length + 2 || lines[^1].Length != 0)
        {
            return Fail($"the manifest is not {Keys.Length + 1} LF-terminated lines");
        }

        if (!string.Equals(lines[0], Header, StringComparison.Ordinal))
        {
            return Fail($"the manifest header is not '{Header}'");
        }

        var values = new string[Keys.Length];
        for (var i = 0; i < Keys.Length; i++)
        {
            var prefix = Keys[i] + " ";
            if (!lines[i + 1].StartsWith(prefix, StringComparison.Ordinal) || lines[i + 1].Length == prefix.Length)
            {
                return Fail($"manifest line {i + 2} is not '{Keys[i]} <value>'");
            }

            values[i] = lines[i + 1][prefix.Length..];
        }

        var server = values[0];
        if (server.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)))
        {
            return Fail("the manifest's server id has spaces or control characters");
        }

        if (!Number(values[1], out var id) || id < 1 || !Number(values[2], out var first) || first < 1 || !Number(values[3], out var last) || last < first)
        {
            return Fail("the manifest's archive, first and last are not canonical decimals with 1 ≤ first ≤ last");
        }

        if (!LogTime.TryParse(values[4], out var created) || !string.Equals(LogTime.Format(created), values[4], StringComparison.Ordinal))
        {
            return Fail("the manifest's created time is not yyyy-MM-ddTHH:mm:ss.ffffffZ");
        }

        if (!TryHex(values[5], out var records))
        {
            return Fail("the manifest's records-sha256 is not 64 lower-case hex digits");
        }

        byte[]? previous = null;
        if (!string.Equals(values[6], None, StringComparison.Ordinal) && !TryHex(values[6], out previous))
        {
            return Fail("the manifest's previous-sha256 is neither 64 lower-case hex digits nor none");
        }

        byte[]? key = null;
        var encrypted = values[7] switch
        {
            Aes256Gcm => true,
            None => false,
            _ => (bool?)null,
        };
        if (encrypted is null)
        {
            return Fail($"the manifest's encryption is neither {Aes256Gcm} nor none");
        }

        if (encrypted.Value ? !TryHex(values[8], out key) : !string.Equals(values[8], None, StringComparison.Ordinal))
        {
            return Fail("the manifest's key-sha256 does not match its encryption (64 hex digits when encrypted, none otherwise)");
        }

        // A null byte[] would convert to an empty memory, not to null.
        return ParseResult<ArchiveManifest>.Ok(new ArchiveManifest(
            server, id, first, last, created, records, previous is null ? null : new ReadOnlyMemory<byte>?(previous), key is null ? null : new ReadOnlyMemory<byte>?(key)));
    }

    private static bool Number(string text, out long value) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value)
        && string.Equals(value.ToString(CultureInfo.InvariantCulture), text, StringComparison.Ordinal);

    private static bool TryHex(string text, out byte[] value)
    {
        value = [];
        if (text.Length != 2 * SHA256.HashSizeInBytes || text.Any(c => c is not ((>= '0' and <= '9') or (>= 'a' and <= 'f'))))
        {
            return false;
        }

        value = Convert.FromHexString(text);
        return true;
    }

    private static string Hex(ReadOnlyMemory<byte> value) =>
        value.Length == SHA256.HashSizeInBytes
            ? Convert.ToHexStringLower(value.Span)
            : throw new ArgumentException($"A manifest hash is {SHA256.HashSizeInBytes} bytes, not {value.Length}.");

    private static string OptionalHex(ReadOnlyMemory<byte>? value) => value is { } v ? Hex(v) : None;

    private static ParseResult<ArchiveManifest> Fail(string message) => ParseResult<ArchiveManifest>.Fail(MalformedCode, message);
}
