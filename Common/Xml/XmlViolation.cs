namespace ExchangeGateway.Common.Xml;

/// <summary>Why <see cref="SafeXml"/> refused a document.</summary>
public enum XmlViolation
{
    /// <summary>Not well-formed XML (or not in an encoding the reader knows).</summary>
    Malformed,

    /// <summary>A document type declaration: DTDs, and with them every entity, are prohibited.</summary>
    Dtd,

    /// <summary>Elements nested deeper than <see cref="XmlLimits.MaxDepth"/>.</summary>
    Depth,

    /// <summary>More elements than <see cref="XmlLimits.MaxElements"/>.</summary>
    ElementCount,

    /// <summary>An element with more attributes than <see cref="XmlLimits.MaxAttributes"/>.</summary>
    AttributeCount,

    /// <summary>A name longer than <see cref="XmlLimits.MaxNameLength"/>.</summary>
    NameLength,

    /// <summary>A text or attribute value longer than <see cref="XmlLimits.MaxTextLength"/>.</summary>
    TextLength,

    /// <summary>A document longer than <see cref="XmlLimits.MaxCharacters"/>.</summary>
    DocumentSize,
}
