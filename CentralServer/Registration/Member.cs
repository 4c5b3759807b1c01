using ExchangeGateway.Common.Identifiers;

namespace ExchangeGateway.CentralServer.Registration;

/// <summary>A registered member organisation.</summary>
/// <param name="Id">Its identifier.</param>
/// <param name="Name">Its legal name.</param>
public sealed record Member(MemberId Id, string Name);
