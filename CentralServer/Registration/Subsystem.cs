using ExchangeGateway.Common.Identifiers;

namespace ExchangeGateway.CentralServer.Registration;

/// <summary>A registered subsystem of a member.</summary>
/// <param name="Id">Its identifier.</param>
/// <param name="Name">An optional display name.</param>
public sealed record Subsystem(SubsystemId Id, string? Name);
