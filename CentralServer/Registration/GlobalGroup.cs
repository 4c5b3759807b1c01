using System.Collections.Immutable;
using ExchangeGateway.Common.Identifiers;

namespace ExchangeGateway.CentralServer.Registration;

/// <summary>A global group.</summary>
/// <param name="Id">Instance and group code.</param>
/// <param name="Description">What the group is for.</param>
/// <param name="Members">Its members (members or subsystems), sorted by canonical text.</param>
public sealed record GlobalGroup(GlobalGroupId Id, string Description, ImmutableArray<ClientId> Members);
