namespace ExchangeGateway.Common.Soap;

/// <summary>The party a client acts for (<c>repr:representedParty</c>): an optional class and a code.</summary>
/// <param name="PartyClass">The party's member class (<c>repr:partyClass</c>); null when absent.</param>
/// <param name="PartyCode">The party's code (<c>repr:partyCode</c>).</param>
public sealed record RepresentedParty(string? PartyClass, string PartyCode);
