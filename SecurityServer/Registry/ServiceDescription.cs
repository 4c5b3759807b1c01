namespace ExchangeGateway.SecurityServer.Registry;

/// <summary>
/// A service description a local subsystem registered (a WSDL or an OpenAPI 3 document) and the services
/// made from it, which carry its <see cref="Id"/> in <see cref="LocalService.DescriptionId"/>. The document
/// itself is kept at <c>{DataDirectory}/descriptions/{DocumentSha256}</c>.
/// </summary>
public sealed record ServiceDescription
{
    /// <summary>Unique per client, e.g. <c>1</c>; 1–64 ASCII letters, digits, <c>-</c> or <c>_</c>.</summary>
    public required string Id { get; init; }

    /// <summary>The kind of document.</summary>
    public required ServiceDescriptionType Type { get; init; }

    /// <summary>The http or https URL it was fetched from (and is refreshed from); null when it was uploaded.</summary>
    public string? Source { get; init; }

    /// <summary>OpenAPI only: the code of the one REST service the document describes.</summary>
    public string? ServiceCode { get; init; }

    /// <summary>
    /// The provider URL its services use instead of the document's own (the WSDL's <c>soap:address</c>, the
    /// OpenAPI <c>servers[0].url</c>); null to take the document's.
    /// </summary>
    public string? ServiceUrl { get; init; }

    /// <summary>True when its services are switched off.</summary>
    public bool Disabled { get; init; }

    /// <summary>Told to callers while disabled (at most 255 characters, no control characters); null for none.</summary>
    public string? DisabledNotice { get; init; }

    /// <summary>When the document was last read (added or refreshed).</summary>
    public required DateTimeOffset RefreshedAt { get; init; }

    /// <summary>SHA-256 of the document bytes as stored, 64 lowercase hex digits; also its file name.</summary>
    public required string DocumentSha256 { get; init; }
}
