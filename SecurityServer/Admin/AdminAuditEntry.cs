using System.Collections.Immutable;

namespace ExchangeGateway.SecurityServer.Admin;

/// <summary>One line of the admin audit log: who tried which change on what, and how it ended.</summary>
/// <param name="Time">When the request finished (UTC).</param>
/// <param name="KeyId">The API key's public id; null when no valid key was presented.</param>
/// <param name="KeyName">The key's name; null when no valid key was presented.</param>
/// <param name="Roles">The key's role names; empty when no valid key was presented.</param>
/// <param name="Action">The endpoint's action, e.g. <c>client.register</c>.</param>
/// <param name="Target">The request path below <c>/api/v1</c>, percent-decoded once.</param>
/// <param name="Outcome"><c>ok</c>, or the stable failure code.</param>
/// <param name="Status">The HTTP status sent.</param>
/// <param name="Remote">The caller's IP address; <c>-</c> when unknown.</param>
public sealed record AdminAuditEntry(
    DateTimeOffset Time,
    string? KeyId,
    string? KeyName,
    ImmutableArray<string> Roles,
    string Action,
    string Target,
    string Outcome,
    int Status,
    string Remote)
{
    /// <summary>The outcome of a success.</summary>
    public const string Ok = "ok";
}
