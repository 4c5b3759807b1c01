using System.Collections.Immutable;
using ExchangeGateway.SecurityServer.Registry;

namespace ExchangeGateway.SecurityServer.Descriptions;

/// <summary>A description as it is after an operation, its services, and which service codes came and went.</summary>
/// <param name="Description">The description as stored.</param>
/// <param name="Services">The client's services made from it, in configuration order.</param>
/// <param name="Added">Codes of services the operation created.</param>
/// <param name="Removed">Codes of services the operation deleted (their operations vanished from the document).</param>
public sealed record DescriptionChange(ServiceDescription Description, ImmutableArray<LocalService> Services, ImmutableArray<string> Added, ImmutableArray<string> Removed);
