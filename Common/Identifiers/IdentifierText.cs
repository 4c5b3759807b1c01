using System.Globalization;
using ExchangeGateway.Common.Errors;
using ExchangeGateway.Common.Results;

namespace ExchangeGateway.Common.Identifiers;

/// <summary>
/// The shared rules for identifier parts: X-Road's strict character set, length and dot-segment limits,
/// splitting the canonical <c>/</c>-joined form, and per-part percent-decoding of the REST form. Error
/// messages name the part and the offending code point but never quote the input, so nothing a caller
/// sent (control characters, terminal escapes, personal data) reaches a log line through them.
/// </summary>
internal static class IdentifierText
{
    /// <summary>The longest part accepted, in characters after decoding.</summary>
    internal const int MaxPartLength = 255;

    internal const string AllowedCharacters = "A-Z a-z 0-9 ' ( ) + , - . = ?";

    // A percent-encoded part is at most three raw characters per decoded one.
    internal const int MaxEncodedPartLength = MaxPartLength * 3;

    internal static readonly string InvalidIdentifierCode = ErrorCode.Client(ErrorCatalog.InvalidIdentifier).Value;

    internal static readonly string InvalidObjectTypeCode = ErrorCode.Client(ErrorCatalog.InvalidObjectType).Value;

    internal static readonly string[] MemberParts = ["xRoadInstance", "memberClass", "memberCode"];
    internal static readonly string[] SubsystemParts = ["xRoadInstance", "memberClass", "memberCode", "subsystemCode"];
    internal static readonly string[] ServiceParts = ["xRoadInstance", "memberClass", "memberCode", "subsystemCode", "serviceCode", "serviceVersion"];
    internal static readonly string[] ServerParts = ["xRoadInstance", "memberClass", "memberCode", "serverCode"];
    internal static readonly string[] GroupParts = ["xRoadInstance", "groupCode"];

    internal static bool IsAllowed(char c) =>
        char.IsAsciiLetterOrDigit(c) || c is '\'' or '(' or ')' or '+' or ',' or '-' or '.' or '=' or '?';

    /// <summary>Null when <paramref name="value"/> is a valid part, otherwise why not.</summary>
    internal static string? CheckPart(string value, string partName)
    {
        if (value.Length == 0)
        {
            return $"{partName} is empty.";
        }

        if (value.Length > MaxPartLength)
        {
            return $"{partName} is longer than {MaxPartLength} characters.";
        }

        // Dot segments would be resolved away by any URL normaliser between client and provider.
        if (value is "." or "..")
        {
            return $"{partName} is a dot segment ('.' or '..').";
        }

        for (var i = 0; i < value.Length; i++)
        {
            if (!IsAllowed(value[i]))
            {
                return $"{partName} contains {Describe(value[i])} at position {i + 1}; allowed are {AllowedCharacters}.";
            }
        }

        return null;
    }

    /// <summary>For constructors: invalid parts from code are bugs, so they throw.</summary>
    internal static string Require(string value, string partName, string paramName)
    {
        ArgumentNullException.ThrowIfNull(value, paramName);
        var problem = CheckPart(value, partName);
        return problem is null ? value : throw new ArgumentException($"Invalid identifier part: {problem}", paramName);
    }

    /// <summary>
    /// Splits the canonical form on <c>/</c> and validates each part. The number of parts must lie in
    /// [<paramref name="minParts"/>, <paramref name="maxParts"/>]; names come from <paramref name="partNames"/>.
    /// </summary>
    internal static ParseResult<string[]> SplitCanonical(string? text, string kind, string[] partNames, int minParts, int maxParts) =>
        Split(text, kind, partNames, minParts, maxParts, encoded: false);

    /// <summary>
    /// Splits the raw REST form on literal <c>/</c> first and only then percent-decodes each part, so an
    /// encoded <c>%2F</c> can never act as a separator; the decoded part must pass the same rules.
    /// </summary>
    internal static ParseResult<string[]> SplitEncoded(string? raw, string kind, string[] partNames, int minParts, int maxParts) =>
        Split(raw, kind, partNames, minParts, maxParts, encoded: true);

    /// <summary>Decodes and validates one raw part; null when valid, otherwise why not.</summary>
    internal static string? DecodePart(ReadOnlySpan<char> raw, string partName, out string value)
    {
        value = string.Empty;
        if (raw.Length > MaxEncodedPartLength)
        {
            return $"{partName} is longer than {MaxPartLength} characters.";
        }

        var problem = PercentDecode(raw, partName, out var decoded);
        if (problem is not null)
        {
            return problem;
        }

        problem = CheckPart(decoded, partName);
        if (problem is null)
        {
            value = decoded;
        }

        return problem;
    }

    internal static ParseResult<T> Fail<T>(string kind, string problem)
        where T : notnull =>
        ParseResult<T>.Fail(InvalidIdentifierCode, $"Invalid {kind} identifier: {problem}");

    internal static ParseResult<T> Propagate<T, TFrom>(ParseResult<TFrom> failed)
        where T : notnull
        where TFrom : notnull =>
        ParseResult<T>.Fail(failed.ErrorCode!, failed.Message!);

    /// <summary>A code point as <c>U+XXXX</c>, never the character itself.</summary>
    internal static string Describe(char c) => "U+" + ((int)c).ToString("X4", CultureInfo.InvariantCulture);

    private static ParseResult<string[]> Split(string? text, string kind, string[] partNames, int minParts, int maxParts, bool encoded)
    {
        if (string.IsNullOrEmpty(text))
        {
            return Fail<string[]>(kind, "the text is empty.");
        }

        // Bound the work before splitting: an over-long header must not cost more than a valid one.
        var perPart = encoded ? MaxEncodedPartLength : MaxPartLength;
        if (text.Length > (maxParts * perPart) + maxParts - 1)
        {
            return Fail<string[]>(kind, "the text is too long.");
        }

        var raw = text.Split('/');
        if (raw.Length < minParts || raw.Length > maxParts)
        {
            var expected = minParts == maxParts
                ? minParts.ToString(CultureInfo.InvariantCulture)
                : $"{minParts.ToString(CultureInfo.InvariantCulture)} to {maxParts.ToString(CultureInfo.InvariantCulture)}";
            return Fail<string[]>(kind, $"expected {expected} parts separated by '/', found {raw.Length.ToString(CultureInfo.InvariantCulture)}.");
        }

        var parts = new string[raw.Length];
        for (var i = 0; i < raw.Length; i++)
        {
            string? problem;
            if (encoded)
            {
                problem = DecodePart(raw[i], partNames[i], out parts[i]);
            }
            else
            {
                parts[i] = raw[i];
                problem = CheckPart(raw[i], partNames[i]);
            }

            if (problem is not null)
            {
                return Fail<string[]>(kind, problem);
            }
        }

        return ParseResult<string[]>.Ok(parts);
    }

    // RFC 3986 §2.1. Only ASCII can be valid afterwards, so a decoded byte >= 0x80 is rejected here
    // rather than assembled into UTF-8; %00 is rejected because NUL truncates strings in other stacks.
    private static string? PercentDecode(ReadOnlySpan<char> raw, string partName, out string decoded)
    {
        decoded = string.Empty;
        if (!raw.Contains('%'))
        {
            decoded = raw.ToString();
            return null;
        }

        Span<char> buffer = stackalloc char[raw.Length];
        var length = 0;
        for (var i = 0; i < raw.Length; i++)
        {
            var c = raw[i];
            if (c != '%')
            {
                buffer[length++] = c;
                continue;
            }

            if (i + 2 >= raw.Length)
            {
                return $"{partName} has an incomplete percent-encoding at position {i + 1}.";
            }

            var high = HexValue(raw[i + 1]);
            var low = HexValue(raw[i + 2]);
            if (high < 0 || low < 0)
            {
                return $"{partName} has an invalid percent-encoding at position {i + 1}.";
            }

            var b = (high << 4) | low;
            if (b == 0)
            {
                return $"{partName} contains an encoded NUL (%00).";
            }

            if (b >= 0x80)
            {
                return $"{partName} contains an encoded non-ASCII byte at position {i + 1}; allowed are {AllowedCharacters}.";
            }

            buffer[length++] = (char)b;
            i += 2;
        }

        decoded = new string(buffer[..length]);
        return null;
    }

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'A' and <= 'F' => c - 'A' + 10,
        >= 'a' and <= 'f' => c - 'a' + 10,
        _ => -1,
    };
}
