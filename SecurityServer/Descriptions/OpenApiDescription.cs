using System.Collections.Immutable;
using ExchangeGateway.SecurityServer.Registry;

namespace ExchangeGateway.SecurityServer.Descriptions;

/// <summary>What the gateway takes from an OpenAPI 3.0 or 3.1 document.</summary>
/// <param name="OpenApiVersion">The document's <c>openapi</c> value, e.g. <c>3.0.3</c>.</param>
/// <param name="ServerUrl">The first <c>servers[].url</c> as written; null when there is none.</param>
/// <param name="Endpoints">Every path × method, path templates turned into <c>*</c> segments, distinct, in document order.</param>
/// <param name="IsYaml">True when the document is YAML rather than JSON.</param>
public sealed record OpenApiDescription(string OpenApiVersion, string? ServerUrl, ImmutableArray<ServiceEndpoint> Endpoints, bool IsYaml)
{
    /// <summary>The media type to serve the document with: <c>application/json</c> or <c>text/yaml</c>.</summary>
    public string ContentType => IsYaml ? OpenApiReader.YamlContentType : OpenApiReader.JsonContentType;
}
