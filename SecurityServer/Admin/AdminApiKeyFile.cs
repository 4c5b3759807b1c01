namespace ExchangeGateway.SecurityServer.Admin;

/// <summary>The whole of <c>admin-api-keys.json</c>.</summary>
internal sealed record AdminApiKeyFile(AdminApiKeyRecord[] Keys);
