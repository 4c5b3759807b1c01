namespace ExchangeGateway.Common.Xml;

/// <summary>
/// The caps <see cref="SafeXml"/> enforces while it streams a document (RELIABILITY.md rows 1–4). Each is
/// checked as the reader reaches a node, so a document that breaks one is refused having read no further
/// than the node that broke it, and no tree is ever built.
/// </summary>
public sealed record XmlLimits
{
    /// <summary>The limits for SOAP messages and service descriptions: generous for real payloads, small enough that an attack stays cheap.</summary>
    public static XmlLimits Default { get; } = new();

    /// <summary>The deepest element nesting (the document element is depth 1). X-Road payloads rarely pass 20.</summary>
    public int MaxDepth { get; init; } = 64;

    /// <summary>The most elements in one document.</summary>
    public int MaxElements { get; init; } = 1_000_000;

    /// <summary>The most attributes (namespace declarations included) on one element.</summary>
    public int MaxAttributes { get; init; } = 64;

    /// <summary>The longest qualified name of an element or attribute, in characters.</summary>
    public int MaxNameLength { get; init; } = 256;

    /// <summary>The longest text, CDATA or attribute value, in characters (inline base64 content is the usual large one).</summary>
    public int MaxTextLength { get; init; } = 16 * 1024 * 1024;

    /// <summary>The most characters in the whole document; the reader stops at this many.</summary>
    public long MaxCharacters { get; init; } = 32L * 1024 * 1024;
}
