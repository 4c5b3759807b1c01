using System.Text;
using System.Text.Unicode;

namespace ExchangeGateway.Common.Mime;

/// <summary>
/// Splits a multipart body (RFC 2046 §5.1.1) into parts without copying them: one forward scan,
/// delimiters found with a vectorised <see cref="MemoryExtensions.IndexOf{T}(ReadOnlySpan{T}, ReadOnlySpan{T})"/>,
/// so the cost is linear in the body.
/// </summary>
/// <remarks>
/// Strict where RFC 2046 is: every delimiter line is <c>CRLF "--" boundary</c> followed by optional
/// spaces or tabs and CRLF (or <c>"--"</c> for the close delimiter), and part header lines end in CRLF.
/// A bare LF is not a line end here: it is ordinary content in a part body, and a header block with one
/// is refused. The preamble (before the first delimiter) and the epilogue (after the close delimiter)
/// are ignored. Header fields may be folded (a line starting with a space or tab continues the previous).
/// </remarks>
internal static class MultipartReader
{
    /// <summary>The most parts in one body.</summary>
    public const int MaxParts = 1000;

    /// <summary>The most header fields in one part.</summary>
    public const int MaxHeaders = 32;

    /// <summary>The longest header block of one part, in bytes, including its blank line.</summary>
    public const int MaxHeaderBytes = 8 * 1024;

    /// <summary>A part before interpretation: its header fields and where its body lies.</summary>
    internal sealed record RawPart(List<KeyValuePair<string, string>> Headers, Range Body);

    /// <summary>True when <paramref name="boundary"/> is 1–70 RFC 2046 bchars, not ending in a space.</summary>
    public static bool IsValidBoundary(string boundary)
    {
        if (boundary.Length is 0 or > 70 || boundary[^1] == ' ')
        {
            return false;
        }

        foreach (var c in boundary)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '\'' or '(' or ')' or '+' or '_' or ',' or '-' or '.' or '/' or ':' or '=' or '?' or ' '))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The parts of <paramref name="body"/>; null with <paramref name="problem"/> when it breaks a rule above.</summary>
    public static List<RawPart>? Split(ReadOnlySpan<byte> body, string boundary, out string? problem)
    {
        problem = null;

        // delimiter = CRLF "--" boundary; the first one may also open the body without its CRLF.
        Span<byte> delimiter = stackalloc byte[4 + boundary.Length];
        "\r\n--"u8.CopyTo(delimiter);
        Encoding.ASCII.GetBytes(boundary, delimiter[4..]);
        var dashBoundary = delimiter[2..];

        int after;
        bool close;
        if (!(body.StartsWith(dashBoundary) && LineTail(body, dashBoundary.Length, out after, out close)) &&
            Find(body, 0, delimiter, out after, out close) < 0)
        {
            problem = "The multipart body has no delimiter line for its boundary.";
            return null;
        }

        if (close)
        {
            problem = "The multipart body has no parts.";
            return null;
        }

        var parts = new List<RawPart>();
        while (!close)
        {
            var start = after;
            var end = Find(body, start, delimiter, out after, out close);
            if (end < 0)
            {
                problem = "The multipart body is truncated: a part is not followed by a delimiter and no close delimiter ends the body.";
                return null;
            }

            if (parts.Count == MaxParts)
            {
                problem = $"The multipart body has more than {MaxParts} parts.";
                return null;
            }

            var part = ReadPart(body, start, end, out problem);
            if (part is null)
            {
                problem = $"Part {parts.Count + 1}: {problem}";
                return null;
            }

            parts.Add(part);
        }

        return parts;
    }

    // The index of the next delimiter (its CRLF) at or after `from` whose line is a delimiter line; -1 if none.
    private static int Find(ReadOnlySpan<byte> body, int from, ReadOnlySpan<byte> delimiter, out int after, out bool close)
    {
        var i = from;
        while (i <= body.Length)
        {
            var at = body[i..].IndexOf(delimiter);
            if (at < 0)
            {
                break;
            }

            at += i;
            if (LineTail(body, at + delimiter.Length, out after, out close))
            {
                return at;
            }

            // "--boundary" followed by more characters is content, not a delimiter (RFC 2046 §5.1.1).
            i = at + 1;
        }

        after = -1;
        close = false;
        return -1;
    }

    // After "--boundary": "--" (close delimiter; the epilogue is ignored) or transport padding and CRLF.
    private static bool LineTail(ReadOnlySpan<byte> body, int i, out int after, out bool close)
    {
        close = body[i..].StartsWith("--"u8);
        if (close)
        {
            after = i + 2;
            return true;
        }

        while (i < body.Length && body[i] is (byte)' ' or (byte)'\t')
        {
            i++;
        }

        after = i + 2;
        return body[i..].StartsWith("\r\n"u8);
    }

    private static RawPart? ReadPart(ReadOnlySpan<byte> body, int start, int end, out string? problem)
    {
        problem = null;
        var part = body[start..end];
        var headers = new List<KeyValuePair<string, string>>();
        if (part.StartsWith("\r\n"u8))
        {
            return new RawPart(headers, (start + 2)..end);
        }

        var window = part[..Math.Min(part.Length, MaxHeaderBytes)];
        var blank = window.IndexOf("\r\n\r\n"u8);
        if (blank < 0)
        {
            problem = part.Length >= MaxHeaderBytes
                ? $"the header block is longer than {MaxHeaderBytes} bytes."
                : "the headers are not followed by an empty line.";
            return null;
        }

        var block = part[..(blank + 2)];
        while (!block.IsEmpty)
        {
            var eol = block.IndexOf("\r\n"u8);
            var line = block[..eol];
            block = block[(eol + 2)..];
            if (line.IndexOfAny((byte)'\r', (byte)'\n') >= 0 || line.IndexOfAnyInRange((byte)0, (byte)8) >= 0 ||
                line.IndexOfAnyInRange((byte)10, (byte)31) >= 0 || line.IndexOf((byte)127) >= 0 || !Utf8.IsValid(line))
            {
                problem = "a header line contains a bare CR or LF, a control character or invalid UTF-8.";
                return null;
            }

            if (line[0] is (byte)' ' or (byte)'\t')
            {
                if (headers.Count == 0)
                {
                    problem = "the header block starts with a continuation line.";
                    return null;
                }

                var last = headers[^1];
                headers[^1] = new(last.Key, (last.Value + " " + Encoding.UTF8.GetString(line.Trim(" \t"u8))).Trim());
                continue;
            }

            var colon = line.IndexOf((byte)':');
            if (colon <= 0 || !IsToken(line[..colon]))
            {
                problem = "a header line is not name: value.";
                return null;
            }

            if (headers.Count == MaxHeaders)
            {
                problem = $"the part has more than {MaxHeaders} header fields.";
                return null;
            }

            headers.Add(new(Encoding.ASCII.GetString(line[..colon]), Encoding.UTF8.GetString(line[(colon + 1)..].Trim(" \t"u8))));
        }

        return new RawPart(headers, (start + blank + 4)..end);
    }

    private static bool IsToken(ReadOnlySpan<byte> name)
    {
        foreach (var b in name)
        {
            if (!(char.IsAsciiLetterOrDigit((char)b) || b is (byte)'!' or (byte)'#' or (byte)'$' or (byte)'%' or (byte)'&' or (byte)'\'' or
                    (byte)'*' or (byte)'+' or (byte)'-' or (byte)'.' or (byte)'^' or (byte)'_' or (byte)'`' or (byte)'|' or (byte)'~'))
            {
                return false;
            }
        }

        return true;
    }
}
