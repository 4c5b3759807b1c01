namespace ExchangeGateway.Common.Mime;

/// <summary>
/// A parsed media type (RFC 9110 §8.3.1): <c>type/subtype *( OWS ";" OWS [ name "=" ( token / quoted-string ) ] )</c>.
/// Type, subtype and parameter names are lower-cased; values are kept as written (quotes removed,
/// quoted pairs unescaped). A parameter named twice, or more than <see cref="MaxParameters"/>, is refused.
/// </summary>
internal sealed class MediaType
{
    /// <summary>The most parameters accepted; real media types carry a handful.</summary>
    public const int MaxParameters = 32;

    private readonly List<KeyValuePair<string, string>> _parameters;

    private MediaType(string type, string subtype, List<KeyValuePair<string, string>> parameters)
    {
        Type = type;
        Subtype = subtype;
        _parameters = parameters;
    }

    /// <summary>The top-level type, lower case (<c>multipart</c>).</summary>
    public string Type { get; }

    /// <summary>The subtype, lower case (<c>related</c>).</summary>
    public string Subtype { get; }

    /// <summary><c>type/subtype</c>, lower case.</summary>
    public string Essence => Type + "/" + Subtype;

    /// <summary>The value of parameter <paramref name="name"/> (lower case), or null.</summary>
    public string? Parameter(string name)
    {
        foreach (var p in _parameters)
        {
            if (p.Key == name)
            {
                return p.Value;
            }
        }

        return null;
    }

    /// <summary>Parses <paramref name="text"/>; null with <paramref name="problem"/> set when it is not a media type.</summary>
    public static MediaType? TryParse(string text, out string? problem)
    {
        problem = null;
        var s = text.AsSpan();
        var i = SkipOws(s, 0);
        var typeEnd = Token(s, i);
        if (typeEnd == i || typeEnd >= s.Length || s[typeEnd] != '/')
        {
            problem = "it does not start with type/subtype";
            return null;
        }

        var subStart = typeEnd + 1;
        var subEnd = Token(s, subStart);
        if (subEnd == subStart)
        {
            problem = "it does not start with type/subtype";
            return null;
        }

        var type = s[i..typeEnd].ToString().ToLowerInvariant();
        var subtype = s[subStart..subEnd].ToString().ToLowerInvariant();
        var parameters = new List<KeyValuePair<string, string>>();
        i = SkipOws(s, subEnd);
        while (i < s.Length)
        {
            if (s[i] != ';')
            {
                problem = "parameters must be separated by ';'";
                return null;
            }

            i = SkipOws(s, i + 1);
            if (i >= s.Length || s[i] == ';')
            {
                continue;
            }

            var nameEnd = Token(s, i);
            if (nameEnd == i || nameEnd >= s.Length || s[nameEnd] != '=')
            {
                problem = "a parameter is not name=value";
                return null;
            }

            var name = s[i..nameEnd].ToString().ToLowerInvariant();
            i = nameEnd + 1;
            string value;
            if (i < s.Length && s[i] == '"')
            {
                var sb = new System.Text.StringBuilder();
                i++;
                while (true)
                {
                    if (i >= s.Length)
                    {
                        problem = "a quoted parameter value is not closed";
                        return null;
                    }

                    var c = s[i];
                    if (c == '"')
                    {
                        i++;
                        break;
                    }

                    if (c == '\\')
                    {
                        if (i + 1 >= s.Length)
                        {
                            problem = "a quoted parameter value is not closed";
                            return null;
                        }

                        c = s[++i];
                    }

                    if (c is < ' ' and not '\t' or '\u007f')
                    {
                        problem = "a parameter value contains a control character";
                        return null;
                    }

                    sb.Append(c);
                    i++;
                }

                value = sb.ToString();
            }
            else
            {
                var valueEnd = Token(s, i);
                if (valueEnd == i)
                {
                    problem = "a parameter has no value";
                    return null;
                }

                value = s[i..valueEnd].ToString();
                i = valueEnd;
            }

            if (parameters.Count == MaxParameters)
            {
                problem = $"it has more than {MaxParameters} parameters";
                return null;
            }

            foreach (var p in parameters)
            {
                if (p.Key == name)
                {
                    problem = $"the parameter {name} appears twice";
                    return null;
                }
            }

            parameters.Add(new(name, value));
            i = SkipOws(s, i);
        }

        return new MediaType(type, subtype, parameters);
    }

    private static int SkipOws(ReadOnlySpan<char> s, int i)
    {
        while (i < s.Length && s[i] is ' ' or '\t')
        {
            i++;
        }

        return i;
    }

    private static int Token(ReadOnlySpan<char> s, int i)
    {
        while (i < s.Length && IsTokenChar(s[i]))
        {
            i++;
        }

        return i;
    }

    // RFC 9110 §5.6.2 tchar.
    private static bool IsTokenChar(char c) =>
        char.IsAsciiLetterOrDigit(c) || c is '!' or '#' or '$' or '%' or '&' or '\'' or '*' or '+' or '-' or '.' or '^' or '_' or '`' or '|' or '~';
}
