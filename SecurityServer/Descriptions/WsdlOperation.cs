namespace ExchangeGateway.SecurityServer.Descriptions;

/// <summary>A binding operation of a WSDL: its name (the service code) and its X-Road <c>xrd:version</c>, if any.</summary>
/// <param name="Name">The operation name.</param>
/// <param name="Version">The text of the operation's <c>xrd:version</c> element, trimmed; null when absent.</param>
public sealed record WsdlOperation(string Name, string? Version);
