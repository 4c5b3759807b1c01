using System.Xml;

namespace ExchangeGateway.Common.Xml;

/// <summary>
/// Wraps the framework's reader and checks <see cref="XmlLimits"/> on every node it moves to. The base
/// class builds <c>Skip</c>, <c>ReadSubtree</c> and the <c>ReadContentAs…</c> family on <see cref="Read"/>,
/// so those are checked too.
/// </summary>
internal sealed class LimitedXmlReader : XmlReader, IXmlLineInfo, IXmlNamespaceResolver
{
    private readonly XmlReader? _inner;
    private readonly XmlLimits _limits;
    private readonly XmlLimitException? _refused;
    private readonly bool _checkValues;
    private long _elements;

    /// <param name="inner">The framework's reader, or null when the document is already refused.</param>
    /// <param name="limits">The caps.</param>
    /// <param name="refused">Thrown on first use when <paramref name="inner"/> is null.</param>
    /// <param name="inputBytes">
    /// The document's size when known. A UTF-8 document of N bytes has at most N characters, so when N is
    /// within <see cref="XmlLimits.MaxTextLength"/> no value can break it and values are not measured:
    /// measuring one makes the framework build it as a string (a 1 MiB text node is 2 MiB of garbage).
    /// </param>
    public LimitedXmlReader(XmlReader? inner, XmlLimits limits, XmlLimitException? refused, long? inputBytes = null)
    {
        _inner = inner;
        _limits = limits;
        _refused = refused;
        _checkValues = inputBytes is null || inputBytes > limits.MaxTextLength;
    }

    private XmlReader Inner => _inner ?? throw _refused!;

    public override int AttributeCount => Inner.AttributeCount;

    public override string BaseURI => Inner.BaseURI;

    public override int Depth => Inner.Depth;

    public override bool EOF => Inner.EOF;

    public override bool IsEmptyElement => Inner.IsEmptyElement;

    public override string LocalName => Inner.LocalName;

    public override string Name => Inner.Name;

    public override string NamespaceURI => Inner.NamespaceURI;

    public override XmlNameTable NameTable => Inner.NameTable;

    public override XmlNodeType NodeType => Inner.NodeType;

    public override string Prefix => Inner.Prefix;

    public override ReadState ReadState => _inner?.ReadState ?? ReadState.Error;

    public override string Value => Inner.Value;

    public override bool HasValue => Inner.HasValue;

    public override bool IsDefault => Inner.IsDefault;

    public override XmlReaderSettings? Settings => Inner.Settings;

    public int LineNumber => (_inner as IXmlLineInfo)?.LineNumber ?? 0;

    public int LinePosition => (_inner as IXmlLineInfo)?.LinePosition ?? 0;

    public bool HasLineInfo() => _inner is IXmlLineInfo;

    public override bool Read()
    {
        if (!Inner.Read())
        {
            return false;
        }

        switch (Inner.NodeType)
        {
            case XmlNodeType.Element:
                CheckElement();
                break;
            case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace:
                if (_checkValues && Inner.Value.Length > _limits.MaxTextLength)
                {
                    throw Refuse(XmlViolation.TextLength, $"A text node is longer than {_limits.MaxTextLength} characters");
                }

                break;
            case XmlNodeType.DocumentType or XmlNodeType.EntityReference:
                // Unreachable with DTDs prohibited; refused again so no later settings change can let one through.
                throw Refuse(XmlViolation.Dtd, "The XML has a document type declaration or an entity reference");
        }

        return true;
    }

    private void CheckElement()
    {
        var inner = Inner;

        // Depth is 0 for the document element; the limit counts it as 1.
        if (inner.Depth >= _limits.MaxDepth)
        {
            throw Refuse(XmlViolation.Depth, $"Elements are nested deeper than {_limits.MaxDepth}");
        }

        if (++_elements > _limits.MaxElements)
        {
            throw Refuse(XmlViolation.ElementCount, $"The document has more than {_limits.MaxElements} elements");
        }

        if (inner.Name.Length > _limits.MaxNameLength)
        {
            throw Refuse(XmlViolation.NameLength, $"An element name is longer than {_limits.MaxNameLength} characters");
        }

        var count = inner.AttributeCount;
        if (count == 0)
        {
            return;
        }

        if (count > _limits.MaxAttributes)
        {
            throw Refuse(XmlViolation.AttributeCount, $"An element has more than {_limits.MaxAttributes} attributes");
        }

        for (var i = 0; i < count; i++)
        {
            inner.MoveToAttribute(i);
            if (inner.Name.Length > _limits.MaxNameLength)
            {
                throw Refuse(XmlViolation.NameLength, $"An attribute name is longer than {_limits.MaxNameLength} characters");
            }

            if (_checkValues && inner.Value.Length > _limits.MaxTextLength)
            {
                throw Refuse(XmlViolation.TextLength, $"An attribute value is longer than {_limits.MaxTextLength} characters");
            }
        }

        inner.MoveToElement();
    }

    private XmlLimitException Refuse(XmlViolation violation, string what) =>
        new(violation, $"{what} (line {LineNumber}, position {LinePosition}); the gateway refuses such XML.", LineNumber, LinePosition);

    public override string GetAttribute(int i) => Inner.GetAttribute(i);

    public override string? GetAttribute(string name) => Inner.GetAttribute(name);

    public override string? GetAttribute(string name, string? namespaceURI) => Inner.GetAttribute(name, namespaceURI);

    public override string? LookupNamespace(string prefix) => Inner.LookupNamespace(prefix);

    public override bool MoveToAttribute(string name) => Inner.MoveToAttribute(name);

    public override bool MoveToAttribute(string name, string? ns) => Inner.MoveToAttribute(name, ns);

    public override void MoveToAttribute(int i) => Inner.MoveToAttribute(i);

    public override bool MoveToElement() => Inner.MoveToElement();

    public override bool MoveToFirstAttribute() => Inner.MoveToFirstAttribute();

    public override bool MoveToNextAttribute() => Inner.MoveToNextAttribute();

    public override bool ReadAttributeValue() => Inner.ReadAttributeValue();

    public override void ResolveEntity() => throw new XmlLimitException(XmlViolation.Dtd, "Entities are never resolved.");

    public IDictionary<string, string> GetNamespacesInScope(XmlNamespaceScope scope) =>
        (Inner as IXmlNamespaceResolver)?.GetNamespacesInScope(scope) ?? new Dictionary<string, string>();

    string? IXmlNamespaceResolver.LookupPrefix(string namespaceName) => (Inner as IXmlNamespaceResolver)?.LookupPrefix(namespaceName);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner?.Dispose();
        }

        base.Dispose(disposing);
    }
}
