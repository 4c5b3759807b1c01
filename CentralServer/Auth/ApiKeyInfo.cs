using System.Collections.Immutable;

namespace ExchangeGateway.CentralServer.Auth;

/// <summary>An API key as stored: everything except the secret, which is never stored or shown again.</summary>
/// <param name="Id">The public key id (first part of the key).</param>
/// <param name="Name">A name for people and the audit log.</param>
/// <param name="Roles">The roles the key holds.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="CreatedBy">Who created it.</param>
/// <param name="RevokedAt">When it was revoked; null while active.</param>
public sealed record ApiKeyInfo(string Id, string Name, ImmutableArray<Role> Roles, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset? RevokedAt)
{
    /// <summary>True while not revoked.</summary>
    public bool Active => RevokedAt is null;
}
