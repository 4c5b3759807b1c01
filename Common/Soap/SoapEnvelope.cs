namespace ExchangeGateway.Common.Soap;

/// <summary>What <see cref="SoapEnvelopeReader"/> learned from a SOAP 1.1 envelope in one streaming pass.</summary>
public sealed record SoapEnvelope
{
    /// <summary>The X-Road header; null only for a fault response without a header.</summary>
    public SoapHeader? Header { get; init; }

    /// <summary>The local name of the Body's single element: the service's wrapper element, or <c>Fault</c>.</summary>
    public required string BodyLocalName { get; init; }

    /// <summary>The namespace of the Body's single element (empty when it has none).</summary>
    public required string BodyNamespace { get; init; }

    /// <summary>True when the Body's element is a SOAP 1.1 <c>Fault</c> (responses only).</summary>
    public bool IsFault { get; init; }

    /// <summary>The fault's <c>faultcode</c> text; null when not a fault or absent.</summary>
    public string? FaultCode { get; init; }

    /// <summary>The fault's <c>faultstring</c> text; null when not a fault or absent.</summary>
    public string? FaultString { get; init; }

    /// <summary>
    /// The byte offset, in the SOAP bytes that were read, of the <c>&lt;</c> that opens the Header's end
    /// tag (<c>&lt;/SOAP-ENV:Header&gt;</c>); -1 when there is no Header.
    /// </summary>
    public int HeaderEndOffset { get; init; } = -1;

    /// <summary>The <c>href</c> values of the <c>xop:Include</c> elements in the Body (e.g. <c>cid:…</c>), in document order.</summary>
    public IReadOnlyList<string> XopIncludes { get; init; } = [];
}
