using System.Collections.Immutable;

namespace ExchangeGateway.SecurityServer.Descriptions;

/// <summary>What the gateway takes from a WSDL 1.1 document.</summary>
/// <param name="Operations">Binding operations, distinct by name and version, in document order.</param>
/// <param name="Address">The first <c>soap:address</c> (or <c>soap12:address</c>) location; null when there is none.</param>
/// <param name="HasImports">True when the document has <c>wsdl:import</c> elements, which are never fetched.</param>
public sealed record WsdlDescription(ImmutableArray<WsdlOperation> Operations, string? Address, bool HasImports);
