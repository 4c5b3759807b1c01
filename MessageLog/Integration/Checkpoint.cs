using System.Globalization;
using System.Text;
using ExchangeGateway.Common.Crypto.Merkle;
using ExchangeGateway.Common.Results;
using ExchangeGateway.MessageLog.Records;

namespace ExchangeGateway.MessageLog.Integration;

/// <summary>
/// What a checkpoint asserts: server <see cref="ServerId"/>'s log held <see cref="TreeSize"/> records
/// with root <see cref="RootHash"/> at <see cref="CreatedAt"/>. Its canonical form (<see cref="Encode"/>)
/// is the content the server signs; the time-stamp covers that signature.
/// </summary>
/// <remarks>
/// The canonical form is five lines of UTF-8, each ending in a single LF, nothing else:
/// <code>
/// xgw-message-log-checkpoint/v1
/// DEV/GOV/70000001/ss1
/// 1234
/// 0f3c…(64 lower-case hex digits of the root)
/// 2026-01-01T00:00:00.123456Z
/// </code>
/// The tree size is decimal without leading zeros; the time is UTC with exactly six fractional digits.
/// Text, like a C2SP checkpoint, so that an auditor can read what was signed.
/// </remarks>
/// <param name="ServerId">The security server's canonical identifier.</param>
/// <param name="TreeSize">Records covered: sequences 1 to TreeSize.</param>
/// <param name="RootHash">The RFC 6962 root over their leaves.</param>
/// <param name="CreatedAt">When the checkpoint was made (microsecond precision).</param>
public sealed record Checkpoint(string ServerId, long TreeSize, MerkleHash RootHash, DateTimeOffset CreatedAt)
{
    /// <summary>The first line of every checkpoint.</summary>
    public const string Header = "xgw-message-log-checkpoint/v1";

    /// <summary>The error code of a checkpoint that does not parse.</summary>
    public const string MalformedCode = "messagelog.invalid_checkpoint";

    private const int MaxLength = 1024;
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The canonical bytes.</summary>
    /// <exception cref="ArgumentException">The server id is empty or contains a control character.</exception>
    public byte[] Encode()
    {
        if (string.IsNullOrEmpty(ServerId) || ServerId.Any(char.IsControl))
        {
            throw new ArgumentException("A checkpoint's server id must be non-empty text without control characters.", nameof(ServerId));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(TreeSize, nameof(TreeSize));
        var text = string.Create(CultureInfo.InvariantCulture, $"{Header}\n{ServerId}\n{TreeSize}\n{RootHash}\n{LogTime.Format(CreatedAt)}\n");
        return Utf8.GetBytes(text);
    }

    /// <summary>Parses the canonical form strictly: anything <see cref="Encode"/> would not write is refused.</summary>
    public static ParseResult<Checkpoint> Parse(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > MaxLength)
        {
            return Fail($"checkpoint is {bytes.Length} bytes, more than {MaxLength}");
        }

        string text;
        try
        {
            text = Utf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return Fail("checkpoint is not UTF-8");
        }

        var lines = text.Split('\n');
        if (lines.Length != 6 || lines[5].Length != 0)
        {
            return Fail("checkpoint is not five LF-terminated lines");
        }

        if (!string.Equals(lines[0], Header, StringComparison.Ordinal))
        {
            return Fail($"checkpoint header is not '{Header}'");
        }

        var serverId = lines[1];
        if (serverId.Length == 0 || serverId.Any(char.IsControl))
        {
            return Fail("checkpoint server id is empty or has control characters");
        }

        if (!long.TryParse(lines[2], NumberStyles.None, CultureInfo.InvariantCulture, out var size)
            || !string.Equals(size.ToString(CultureInfo.InvariantCulture), lines[2], StringComparison.Ordinal))
        {
            return Fail("checkpoint tree size is not a canonical decimal");
        }

        var hex = lines[3];
        if (hex.Length != 2 * MerkleHash.SizeInBytes || hex.Any(c => c is not ((>= '0' and <= '9') or (>= 'a' and <= 'f'))))
        {
            return Fail("checkpoint root is not 64 lower-case hex digits");
        }

        if (!LogTime.TryParse(lines[4], out var createdAt) || !string.Equals(LogTime.Format(createdAt), lines[4], StringComparison.Ordinal))
        {
            return Fail("checkpoint time is not yyyy-MM-ddTHH:mm:ss.ffffffZ");
        }

        return ParseResult<Checkpoint>.Ok(new Checkpoint(serverId, size, new MerkleHash(Convert.FromHexString(hex)), createdAt));
    }

    private static ParseResult<Checkpoint> Fail(string message) => ParseResult<Checkpoint>.Fail(MalformedCode, message);
}
