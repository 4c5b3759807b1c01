namespace ExchangeGateway.Common.Errors;

/// <summary>
/// A small Accept header evaluator (RFC 9110 §12.5.1): for each offered media type it finds the most
/// specific matching media range and returns that range's weight. Malformed elements are skipped
/// rather than failing the request, because this only chooses how to phrase an error.
/// </summary>
internal static class AcceptHeader
{
    /// <summary>Ranges after this many are ignored, bounding the work an attacker can cause per error.</summary>
    internal const int MaxRanges = 64;

    /// <summary>
    /// Returns the index in <paramref name="offered"/> (server preference order) of the type the header
    /// prefers. Ties go to the earlier offer; a missing header, or one that accepts none of the offers,
    /// yields 0 because an error must still be sent in some form.
    /// </summary>
    internal static int Select(string? header, ReadOnlySpan<string> offered)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return 0;
        }

        var ranges = Parse(header);
        var best = 0;
        var bestQuality = 0;
        for (var i = 0; i < offered.Length; i++)
        {
            var quality = QualityOf(ranges, offered[i]);
            if (quality > bestQuality)
            {
                best = i;
                bestQuality = quality;
            }
        }

        return best;
    }

    /// <summary>The weight (0–1000) the parsed ranges give <paramref name="mediaType"/> (<c>type/subtype</c>).</summary>
    internal static int QualityOf(List<MediaRange> ranges, string mediaType)
    {
        var slash = mediaType.IndexOf('/', StringComparison.Ordinal);
        var type = mediaType.AsSpan(0, slash);
        var subtype = mediaType.AsSpan(slash + 1);
        var bestSpecificity = 0;
        var quality = 0;
        foreach (var range in ranges)
        {
            int specificity;
            if (range.Type == "*")
            {
                specificity = 1;
            }
            else if (!type.Equals(range.Type, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            else if (range.Subtype == "*")
            {
                specificity = 2;
            }
            else if (subtype.Equals(range.Subtype, StringComparison.OrdinalIgnoreCase))
            {
                specificity = 3;
            }
            else
            {
                continue;
            }

            // The most specific range decides, even when a vaguer one has a higher weight
            // ("*/*, application/json;q=0" refuses JSON). Among equals the highest weight wins.
            if (specificity > bestSpecificity || (specificity == bestSpecificity && range.Quality > quality))
            {
                bestSpecificity = specificity;
                quality = range.Quality;
            }
        }

        return quality;
    }

    internal static List<MediaRange> Parse(string header)
    {
        var ranges = new List<MediaRange>();
        var pos = 0;
        while (pos < header.Length && ranges.Count < MaxRanges)
        {
            SkipWhitespaceAndCommas(header, ref pos);
            if (pos >= header.Length)
            {
                break;
            }

            if (TryParseRange(header, ref pos, out var range))
            {
                ranges.Add(range);
            }
            else
            {
                SkipToNextElement(header, ref pos);
            }
        }

        return ranges;
    }

    private static bool TryParseRange(string s, ref int pos, out MediaRange range)
    {
        range = default;
        var type = ReadToken(s, ref pos);
        if (type.Length == 0 || pos >= s.Length || s[pos] != '/')
        {
            return false;
        }

        pos++;
        var subtype = ReadToken(s, ref pos);
        if (subtype.Length == 0 || (type == "*" && subtype != "*"))
        {
            return false;
        }

        var quality = 1000;
        while (true)
        {
            SkipWhitespace(s, ref pos);
            if (pos >= s.Length || s[pos] == ',')
            {
                break;
            }

            if (s[pos] != ';')
            {
                return false;
            }

            pos++;
            SkipWhitespace(s, ref pos);
            var name = ReadToken(s, ref pos);
            if (name.Length == 0 || pos >= s.Length || s[pos] != '=')
            {
                return false;
            }

            pos++;
            string value;
            if (pos < s.Length && s[pos] == '"')
            {
                if (!TryReadQuoted(s, ref pos, out value))
                {
                    return false;
                }
            }
            else
            {
                value = ReadToken(s, ref pos);
                if (value.Length == 0)
                {
                    return false;
                }
            }

            if (name.Equals("q", StringComparison.OrdinalIgnoreCase) && !TryParseQuality(value, out quality))
            {
                return false;
            }
        }

        range = new MediaRange(type, subtype, quality);
        return true;
    }

    /// <summary>RFC 9110 §12.4.2: <c>0[.ddd]</c> or <c>1[.000]</c>, as thousandths.</summary>
    internal static bool TryParseQuality(string value, out int quality)
    {
        quality = 0;
        if (value.Length == 0 || value.Length > 5 || (value[0] != '0' && value[0] != '1'))
        {
            return false;
        }

        var whole = value[0] - '0';
        var fraction = 0;
        if (value.Length > 1)
        {
            if (value[1] != '.')
            {
                return false;
            }

            var scale = 100;
            for (var i = 2; i < value.Length; i++)
            {
                if (!char.IsAsciiDigit(value[i]))
                {
                    return false;
                }

                fraction += (value[i] - '0') * scale;
                scale /= 10;
            }
        }

        if (whole == 1 && fraction != 0)
        {
            return false;
        }

        quality = (whole * 1000) + fraction;
        return true;
    }

    private static string ReadToken(string s, ref int pos)
    {
        var start = pos;
        while (pos < s.Length && IsTokenChar(s[pos]))
        {
            pos++;
        }

        return s[start..pos];
    }

    private static bool TryReadQuoted(string s, ref int pos, out string value)
    {
        // Only the q parameter's value matters, and q is never quoted in practice; the content is
        // skipped honouring backslash escapes so that a quoted comma does not split the element.
        var start = ++pos;
        while (pos < s.Length)
        {
            var c = s[pos];
            if (c == '\\')
            {
                pos += 2;
                continue;
            }

            if (c == '"')
            {
                value = s[start..pos];
                pos++;
                return true;
            }

            pos++;
        }

        value = string.Empty;
        return false;
    }

    private static void SkipToNextElement(string s, ref int pos)
    {
        var quoted = false;
        while (pos < s.Length)
        {
            var c = s[pos];
            if (quoted && c == '\\')
            {
                pos += 2;
                continue;
            }

            if (c == '"')
            {
                quoted = !quoted;
            }
            else if (c == ',' && !quoted)
            {
                return;
            }

            pos++;
        }
    }

    private static void SkipWhitespace(string s, ref int pos)
    {
        while (pos < s.Length && (s[pos] == ' ' || s[pos] == '\t'))
        {
            pos++;
        }
    }

    private static void SkipWhitespaceAndCommas(string s, ref int pos)
    {
        while (pos < s.Length && (s[pos] == ' ' || s[pos] == '\t' || s[pos] == ','))
        {
            pos++;
        }
    }

    // RFC 9110 §5.6.2 tchar.
    private static bool IsTokenChar(char c) =>
        char.IsAsciiLetterOrDigit(c) || c is '!' or '#' or '$' or '%' or '&' or '\'' or '*' or '+' or '-' or '.' or '^' or '_' or '`' or '|' or '~';

    /// <summary>One parsed media range with its weight in thousandths.</summary>
    internal readonly record struct MediaRange(string Type, string Subtype, int Quality);
}
