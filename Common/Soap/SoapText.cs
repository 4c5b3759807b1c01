using System.Text;

namespace ExchangeGateway.Common.Soap;

/// <summary>
/// Byte-level facts about SOAP bytes that the XML reader does not give: whether they are UTF-8, and
/// where a reader position (line, column in UTF-16 units) lies in the bytes.
/// </summary>
internal static class SoapText
{
    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    /// <summary>
    /// Null when <paramref name="xml"/> can only be UTF-8 (an optional UTF-8 BOM, then <c>&lt;</c> or
    /// whitespace, and an XML declaration naming no encoding or UTF-8); otherwise why not. X-Road
    /// messages are UTF-8; refusing other encodings here keeps the byte offsets and digests the gateway
    /// computes over the same text the reader saw.
    /// </summary>
    public static string? CheckUtf8(ReadOnlySpan<byte> xml)
    {
        if (xml.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]) || xml.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]))
        {
            return "The SOAP message starts with a UTF-16 or UTF-32 byte order mark; only UTF-8 is accepted.";
        }

        if (xml.StartsWith(Utf8Bom))
        {
            xml = xml[3..];
        }

        if (xml.IsEmpty)
        {
            return "The SOAP message is empty.";
        }

        // A well-formed document starts with its declaration, a comment, a PI, the root element or
        // whitespace: anything else (UTF-16 without a BOM, EBCDIC, stray text) is refused before parsing.
        if (xml[0] is not ((byte)'<' or (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n') ||
            (xml.Length > 1 && xml[1] == 0))
        {
            return "The SOAP message does not start with '<' or whitespace in UTF-8; only UTF-8 is accepted.";
        }

        if (!xml.StartsWith("<?xml"u8) || xml.Length < 6 || xml[5] is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
        {
            return null;
        }

        // The declaration is short; the reader refuses a malformed one, so only the encoding is read here.
        var end = xml.IndexOf("?>"u8);
        var declaration = end < 0 ? xml : xml[..end];
        var at = declaration.IndexOf("encoding"u8);
        if (at < 0)
        {
            return null;
        }

        var rest = declaration[(at + 8)..].TrimStart(" \t\r\n"u8);
        if (rest.IsEmpty || rest[0] != (byte)'=')
        {
            return null;
        }

        rest = rest[1..].TrimStart(" \t\r\n"u8);
        if (rest.IsEmpty || rest[0] is not ((byte)'"' or (byte)'\''))
        {
            return null;
        }

        var close = rest[1..].IndexOf(rest[0]);
        var name = close < 0 ? rest[1..] : rest[1..(close + 1)];
        return Ascii.EqualsIgnoreCase(name, "UTF-8"u8)
            ? null
            : "The XML declaration names an encoding other than UTF-8; only UTF-8 is accepted.";
    }

    /// <summary>
    /// The byte offset in <paramref name="utf8"/> of the character a reader reported at
    /// <paramref name="line"/>, <paramref name="position"/> (both 1-based, as <see cref="System.Xml.IXmlLineInfo"/>
    /// counts: CR, LF and CRLF each end a line; a BOM is not counted; a character outside the BMP
    /// counts two); -1 when the position lies outside the bytes.
    /// </summary>
    public static int ToByteOffset(ReadOnlySpan<byte> utf8, int line, int position)
    {
        var i = utf8.StartsWith(Utf8Bom) ? 3 : 0;
        for (var l = 1; l < line; l++)
        {
            var next = utf8[i..].IndexOfAny((byte)'\r', (byte)'\n');
            if (next < 0)
            {
                return -1;
            }

            i += next;
            i += utf8[i] == (byte)'\r' && i + 1 < utf8.Length && utf8[i + 1] == (byte)'\n' ? 2 : 1;
        }

        var chars = position - 1;
        if (chars < 0)
        {
            return -1;
        }

        // The common case: nothing but ASCII before the position on its line.
        if (i + chars <= utf8.Length && Ascii.IsValid(utf8.Slice(i, chars)))
        {
            return i + chars;
        }

        for (var p = 0; p < chars;)
        {
            if (i >= utf8.Length)
            {
                return -1;
            }

            var b = utf8[i];
            (var bytes, var units) = b switch
            {
                < 0x80 => (1, 1),
                >= 0xF0 => (4, 2),
                >= 0xE0 => (3, 1),
                _ => (2, 1),
            };
            i += bytes;
            p += units;
        }

        return i <= utf8.Length ? i : -1;
    }
}
