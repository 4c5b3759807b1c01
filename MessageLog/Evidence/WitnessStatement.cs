using System.Globalization;
using System.Text;
using ExchangeGateway.Common.Crypto.Merkle;
using ExchangeGateway.Common.Results;
using ExchangeGateway.MessageLog.Records;

namespace ExchangeGateway.MessageLog.Evidence;

/// <summary>
/// What the Central Server signs when it witnesses a security server's checkpoint: that in instance
/// <see cref="InstanceId"/>, server <see cref="ServerId"/> showed it a signed, consistent log of
/// <see cref="TreeSize"/> records with root <see cref="RootHash"/>, made at <see cref="CheckpointCreatedAt"/>,
/// and that it saw it at <see cref="WitnessedAt"/>. The Central Server signs <see cref="Encode"/> with its
/// configuration-signing key (detached CMS), so the configuration anchor verifies it offline. A later
/// log of that server must extend this root; a consistency proof shows whether it does.
/// </summary>
/// <remarks>
/// Seven lines of UTF-8, each ending in one LF, nothing else:
/// <code>
/// xgw-witness-statement/v1
/// DEV
/// DEV/GOV/70000001/ss1
/// 1234
/// 0f3c…(64 lower-case hex digits)
/// 2026-01-01T00:00:00.123456Z
/// 2026-01-01T00:00:05.000000Z
/// </code>
/// </remarks>
/// <param name="InstanceId">The federation instance.</param>
/// <param name="ServerId">The witnessed security server's canonical id.</param>
/// <param name="TreeSize">The witnessed checkpoint's tree size.</param>
/// <param name="RootHash">Its root.</param>
/// <param name="CheckpointCreatedAt">When the server made the checkpoint.</param>
/// <param name="WitnessedAt">When the Central Server accepted it.</param>
public sealed record WitnessStatement(string InstanceId, string ServerId, long TreeSize, MerkleHash RootHash, DateTimeOffset CheckpointCreatedAt, DateTimeOffset WitnessedAt)
{
    /// <summary>The first line of every statement.</summary>
    public const string Header = "xgw-witness-statement/v1";

    /// <summary>The error code of a statement that does not parse.</summary>
    public const string MalformedCode = "witness.invalid_statement";

    private const int MaxLength = 1024;
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The canonical bytes the Central Server signs.</summary>
    /// <exception cref="ArgumentException">An id is empty or contains a control character.</exception>
    public byte[] Encode()
    {
        CheckText(InstanceId, nameof(InstanceId));
        CheckText(ServerId, nameof(ServerId));
        ArgumentOutOfRangeException.ThrowIfNegative(TreeSize, nameof(TreeSize));
        var text = string.Create(
            CultureInfo.InvariantCulture,
            $"{Header}\n{InstanceId}\n{ServerId}\n{TreeSize}\n{RootHash}\n{LogTime.Format(CheckpointCreatedAt)}\n{LogTime.Format(WitnessedAt)}\n");
        return Utf8.GetBytes(text);
    }

    /// <summary>Parses the canonical form strictly: anything <see cref="Encode"/> would not write is refused.</summary>
    public static ParseResult<WitnessStatement> Parse(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > MaxLength)
        {
            return Fail($"statement is {bytes.Length} bytes, more than {MaxLength}");
        }

        string text;
        try
        {
            text = Utf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return Fail("statement is not UTF-8");
        }

        var lines = text.Split('\n');
        if (lines.Length != 8 || lines[7].Length != 0)
        {
            return Fail("statement is not seven LF-terminated lines");
        }

        if (!string.Equals(lines[0], Header, StringComparison.Ordinal))
        {
            return Fail($"statement header is not '{Header}'");
        }

        if (!IsText(lines[1]) || !IsText(lines[2]))
        {
            return Fail("statement instance or server id is empty or has control characters");
        }

        if (!long.TryParse(lines[3], NumberStyles.None, CultureInfo.InvariantCulture, out var size)
            || !string.Equals(size.ToString(CultureInfo.InvariantCulture), lines[3], StringComparison.Ordinal))
        {
            return Fail("statement tree size is not a canonical decimal");
        }

        var hex = lines[4];
        if (hex.Length != 2 * MerkleHash.SizeInBytes || hex.Any(c => c is not ((>= '0' and <= '9') or (>= 'a' and <= 'f'))))
        {
            return Fail("statement root is not 64 lower-case hex digits");
        }

        if (!TryTime(lines[5], out var createdAt) || !TryTime(lines[6], out var witnessedAt))
        {
            return Fail("statement time is not yyyy-MM-ddTHH:mm:ss.ffffffZ");
        }

        return ParseResult<WitnessStatement>.Ok(new WitnessStatement(lines[1], lines[2], size, new MerkleHash(Convert.FromHexString(hex)), createdAt, witnessedAt));
    }

    private static bool TryTime(string text, out DateTimeOffset value) =>
        LogTime.TryParse(text, out value) && string.Equals(LogTime.Format(value), text, StringComparison.Ordinal);

    private static bool IsText(string value) => value.Length != 0 && !value.Any(char.IsControl);

    private static void CheckText(string value, string name)
    {
        if (string.IsNullOrEmpty(value) || value.Any(char.IsControl))
        {
            throw new ArgumentException("A witness statement's ids must be non-empty text without control characters.", name);
        }
    }

    private static ParseResult<WitnessStatement> Fail(string message) => ParseResult<WitnessStatement>.Fail(MalformedCode, message);
}
