using System.Collections.Immutable;

namespace ExchangeGateway.SecurityServer.Admin;

/// <summary>An admin API key without its secret.</summary>
/// <param name="Id">The public id: 16 lowercase hex digits, the part before the dot of the key.</param>
/// <param name="Name">What the key is for, e.g. <c>quickstart</c>.</param>
/// <param name="Roles">The roles it holds.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="RevokedAt">When it was revoked; null while active.</param>
public sealed record AdminApiKey(string Id, string Name, ImmutableArray<AdminRole> Roles, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt)
{
    /// <summary>True until revoked.</summary>
    public bool Active => RevokedAt is null;
}
