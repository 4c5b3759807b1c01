namespace ExchangeGateway.SecurityServer.Descriptions;

/// <summary>What to register: a document by URL or by content, and for OpenAPI the service code.</summary>
public sealed record DescriptionRequest
{
    /// <summary>The kind of document.</summary>
    public required ExchangeGateway.SecurityServer.Registry.ServiceDescriptionType Type { get; init; }

    /// <summary>An http or https URL to fetch it from (and refresh from later); exactly one of this and <see cref="Content"/>.</summary>
    public string? Url { get; init; }

    /// <summary>The uploaded document; exactly one of this and <see cref="Url"/>.</summary>
    public ReadOnlyMemory<byte>? Content { get; init; }

    /// <summary>OpenAPI only, required: the code of the REST service it describes.</summary>
    public string? ServiceCode { get; init; }

    /// <summary>The provider URL to use instead of the document's own; null to take the document's.</summary>
    public string? ServiceUrl { get; init; }
}
