namespace ExchangeGateway.SecurityServer.Metaservices;

/// <summary>A service description document to send back: its bytes and media type.</summary>
/// <param name="Content">The document.</param>
/// <param name="ContentType">E.g. <c>text/xml</c>, <c>application/json</c> or <c>text/yaml</c>.</param>
public sealed record ServiceDocument(ReadOnlyMemory<byte> Content, string ContentType);
