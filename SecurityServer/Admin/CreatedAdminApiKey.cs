namespace ExchangeGateway.SecurityServer.Admin;

/// <summary>A key just created: its record and the full key text, which exists nowhere else.</summary>
/// <param name="Info">The stored record.</param>
/// <param name="Key">The key to hand to the operator once: <c>{id}.{secret}</c>.</param>
public sealed record CreatedAdminApiKey(AdminApiKey Info, string Key);
