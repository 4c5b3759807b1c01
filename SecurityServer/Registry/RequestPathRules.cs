using System.Text;

namespace ExchangeGateway.SecurityServer.Registry;

/// <summary>
/// Decides whether a raw request path (as sent, not decoded, without the query) can be matched against
/// access-right globs safely. Access is matched on the raw path, but the provider decodes and normalises
/// it; so every form that some server, framework or file system resolves to another path is refused rather
/// than matched (REST path traversal, RELIABILITY.md rows 10 and 11).
/// </summary>
/// <remarks>
/// Refused: a path not starting with <c>/</c>; any raw character outside RFC 3986 <c>pchar</c> and <c>/</c>
/// (so controls, space, <c>\</c>, non-ASCII, <c>?</c>, <c>#</c>); an empty segment other than the last;
/// malformed percent-encoding or encoded bytes that are not UTF-8; an encoded NUL, control character,
/// <c>/</c> or <c>\</c>; an encoded <c>;</c>, <c>?</c> or <c>#</c> (delimiters to servers that decode
/// first); a dot segment, raw or encoded in any case, also with path parameters (<c>..;x</c>, which Tomcat
/// resolves) or trailing spaces or dots (which Windows trims); a segment of encoded spaces only; and
/// characters that normalise to <c>.</c>, <c>/</c> or <c>\</c> (fullwidth forms, one- and two-dot leaders,
/// division slash). Encoded text is decoded up to three times, so double and triple encodings of the above
/// are refused too. Letters are never folded: <c>/Admin</c> is simply another path, and since rights only
/// grant, a path that does not match a grant is denied.
/// </remarks>
public static class RequestPathRules
{
    /// <summary>The longest raw path considered; Kestrel's request-line limit is lower.</summary>
    public const int MaxLength = 8192;

    // Decoding levels checked: raw, decoded once, twice, three times.
    private const int MaxDecodeLevels = 3;

    // Overlong forms (%c0%ae for '.') and stray continuation bytes must fail, not become U+FFFD.
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Null when <paramref name="rawPath"/> may be matched; otherwise why not (safe to log: it never quotes the path).</summary>
    public static string? Check(ReadOnlySpan<char> rawPath)
    {
        if (rawPath.IsEmpty)
        {
            return null;
        }

        if (rawPath.Length > MaxLength)
        {
            return $"the path is longer than {MaxLength} characters";
        }

        if (rawPath[0] != '/')
        {
            return "the path does not start with '/'";
        }

        var rest = rawPath[1..];
        var index = 0;
        while (true)
        {
            var slash = rest.IndexOf('/');
            var segment = slash < 0 ? rest : rest[..slash];
            var isLast = slash < 0;
            index++;
            if (segment.IsEmpty && !isLast)
            {
                return $"segment {index} is empty ('//')";
            }

            var problem = CheckSegment(segment, index);
            if (problem is not null)
            {
                return problem;
            }

            if (isLast)
            {
                return null;
            }

            rest = rest[(slash + 1)..];
        }
    }

    /// <summary>
    /// The path with each segment's parameters (from a raw <c>;</c> to the segment's end) removed, as Tomcat
    /// and Spring read it; the same instance when there are none. Access is granted only when a glob
    /// matches both readings, so <c>/files/secret.txt;.pdf</c> does not pass as <c>/files/*.pdf</c>.
    /// </summary>
    public static string WithoutPathParameters(string rawPath)
    {
        ArgumentNullException.ThrowIfNull(rawPath);
        if (!rawPath.Contains(';', StringComparison.Ordinal))
        {
            return rawPath;
        }

        var text = new StringBuilder(rawPath.Length);
        var skipping = false;
        foreach (var c in rawPath)
        {
            if (c == '/')
            {
                skipping = false;
            }
            else if (c == ';')
            {
                skipping = true;
            }

            if (!skipping)
            {
                text.Append(c);
            }
        }

        return text.ToString();
    }

    private static string? CheckSegment(ReadOnlySpan<char> raw, int index)
    {
        var hasPercent = false;
        foreach (var c in raw)
        {
            if (!IsPathChar(c))
            {
                return $"segment {index} contains {Describe(c)}, which is not allowed unencoded in a path";
            }

            hasPercent |= c == '%';
        }

        if (IsDotSegment(raw))
        {
            return $"segment {index} is a dot segment";
        }

        if (!hasPercent)
        {
            return null;
        }

        var current = raw.ToString();
        for (var level = 1; level <= MaxDecodeLevels; level++)
        {
            // Below the first level a '%' not followed by two hex digits is a literal percent sign.
            var problem = Decode(current, strict: level == 1, index, out var decoded);
            if (problem is not null)
            {
                return problem;
            }

            problem = CheckDecoded(decoded, index);
            if (problem is not null)
            {
                return problem;
            }

            // Servers that decode before splitting read an encoded ';', '?' or '#' as a delimiter: refused,
            // as Spring's StrictHttpFirewall does, rather than matched as a literal character.
            if (Count(decoded, ';') > Count(current, ';') || Count(decoded, '?') > Count(current, '?') || Count(decoded, '#') > Count(current, '#'))
            {
                return $"segment {index} contains an encoded ';', '?' or '#'";
            }

            if (!decoded.Contains('%', StringComparison.Ordinal) || decoded == current)
            {
                return null;
            }

            current = decoded;
        }

        // Still percent-encoded after three decodings: no legitimate path needs that.
        return $"segment {index} is percent-encoded more than {MaxDecodeLevels} times";
    }

    private static int Count(string text, char c) => text.AsSpan().Count(c);

    private static string? CheckDecoded(string decoded, int index)
    {
        foreach (var c in decoded)
        {
            if (c == '\0')
            {
                return $"segment {index} contains an encoded NUL";
            }

            if (char.IsControl(c))
            {
                return $"segment {index} contains an encoded control character";
            }

            var folded = Fold(c);
            if (folded == '/')
            {
                return $"segment {index} contains an encoded '/' or a character that normalises to it";
            }

            if (folded == '\\')
            {
                return $"segment {index} contains an encoded '\\' or a character that normalises to it";
            }
        }

        if (IsDotSegment(decoded))
        {
            return $"segment {index} is an encoded dot segment";
        }

        // Only spaces: Windows trims trailing spaces, so the segment would vanish there.
        var end = decoded.AsSpan().IndexOfAny(';', '?', '#');
        var head = end < 0 ? decoded.AsSpan() : decoded.AsSpan(0, end);
        return !head.IsEmpty && head.IsWhiteSpace() ? $"segment {index} is blank (only encoded spaces)" : null;
    }

    /// <summary>
    /// A segment that some stack resolves as <c>.</c> or <c>..</c>: only dots (after folding look-alikes),
    /// ignoring path parameters (<c>;…</c>), anything after an encoded <c>?</c> or <c>#</c>, and trailing
    /// spaces.
    /// </summary>
    private static bool IsDotSegment(ReadOnlySpan<char> segment)
    {
        var end = segment.IndexOfAny(';', '?', '#');
        var head = end < 0 ? segment : segment[..end];
        head = head.TrimEnd(' ');
        if (head.IsEmpty)
        {
            return false;
        }

        foreach (var c in head)
        {
            switch (c)
            {
                case '.':
                case '\uFF0E': // fullwidth full stop
                case '\uFE52': // small full stop
                case '\uFF61': // halfwidth ideographic full stop
                case '\u2024': // one dot leader
                case '\u2025': // two dot leader (NFKC "..")
                case '\u2026': // horizontal ellipsis (NFKC "...")
                    continue;
                default:
                    return false;
            }
        }

        return true;
    }

    // The runtime runs with invariant globalization, where string.Normalize does not apply NFKC; the
    // characters that NFKC (or a lenient decoder) turns into a separator are therefore listed here.
    private static char Fold(char c) => c switch
    {
        '\uFF0F' or '\u2215' or '\u2044' or '\u29F8' => '/',
        '\uFF3C' or '\uFE68' or '\u29F5' or '\u29F9' or '\u2216' => '\\',
        _ => c,
    };

    private static string? Decode(string text, bool strict, int index, out string decoded)
    {
        decoded = text;

        // Deeper levels may hold non-ASCII text decoded before; work on its UTF-8 bytes.
        var source = Encoding.UTF8.GetBytes(text);
        var bytes = new byte[source.Length];
        var length = 0;
        var changed = false;
        for (var i = 0; i < source.Length; i++)
        {
            var b = source[i];
            if (b == (byte)'%')
            {
                var high = i + 1 < source.Length ? HexValue((char)source[i + 1]) : -1;
                var low = i + 2 < source.Length ? HexValue((char)source[i + 2]) : -1;
                if (high >= 0 && low >= 0)
                {
                    bytes[length++] = (byte)((high << 4) | low);
                    i += 2;
                    changed = true;
                    continue;
                }

                if (strict)
                {
                    return $"segment {index} has malformed percent-encoding";
                }
            }

            bytes[length++] = b;
        }

        if (!changed)
        {
            return null;
        }

        try
        {
            decoded = StrictUtf8.GetString(bytes, 0, length);
            return null;
        }
        catch (DecoderFallbackException)
        {
            return $"segment {index} has percent-encoded bytes that are not UTF-8";
        }
    }

    // RFC 3986 §3.3: pchar = unreserved / pct-encoded / sub-delims / ":" / "@".
    private static bool IsPathChar(char c) =>
        char.IsAsciiLetterOrDigit(c)
        || c is '-' or '.' or '_' or '~' or '%' or '!' or '$' or '&' or '\'' or '(' or ')' or '*' or '+' or ',' or ';' or '=' or ':' or '@';

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'A' and <= 'F' => c - 'A' + 10,
        >= 'a' and <= 'f' => c - 'a' + 10,
        _ => -1,
    };

    private static string Describe(char c) => "U+" + ((int)c).ToString("X4", System.Globalization.CultureInfo.InvariantCulture);
}
