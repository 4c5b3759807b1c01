namespace ExchangeGateway.Common.Xml;

/// <summary>
/// Finds a document type declaration in a document's prolog without parsing it, so a DTD is refused
/// before any parser reads it. Handles UTF-8 (with or without BOM) and other ASCII-compatible encodings;
/// for UTF-16 the reader's own prohibition (<see cref="System.Xml.DtdProcessing.Prohibit"/>) refuses it.
/// </summary>
internal static class XmlProlog
{
    /// <summary>True when <c>&lt;!DOCTYPE</c> appears before the first element.</summary>
    public static bool HasDoctype(ReadOnlySpan<byte> xml)
    {
        var i = xml.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? 3 : 0;
        while (i < xml.Length)
        {
            var b = xml[i];
            if (b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
            {
                i++;
                continue;
            }

            if (b != (byte)'<' || i + 1 >= xml.Length)
            {
                return false;
            }

            var rest = xml[i..];
            if (rest.StartsWith("<?"u8))
            {
                i = Skip(xml, i + 2, "?>"u8);
            }
            else if (rest.StartsWith("<!--"u8))
            {
                i = Skip(xml, i + 4, "-->"u8);
            }
            else
            {
                return rest.StartsWith("<!DOCTYPE"u8) || rest.StartsWith("<!doctype"u8);
            }
        }

        return false;
    }

    private static int Skip(ReadOnlySpan<byte> xml, int from, ReadOnlySpan<byte> end)
    {
        var at = xml[from..].IndexOf(end);
        return at < 0 ? xml.Length : from + at + end.Length;
    }
}
