namespace ExchangeGateway.SecurityServer.Admin;

/// <summary>One key as stored in <c>admin-api-keys.json</c>.</summary>
internal sealed record AdminApiKeyRecord(string Id, string Name, string[] Roles, string SecretSha256, string CreatedAt, string? RevokedAt);
