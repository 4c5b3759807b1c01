using System.Collections.Immutable;
using ExchangeGateway.Common.Identifiers;

namespace ExchangeGateway.SecurityServer.Registry;

/// <summary>
/// A local group of a hosted client (X-Road's local groups): a named set of clients that the client's own
/// access rights can grant to at once, as the subject <c>local-group:CODE</c>. It exists only on this server;
/// the Central Server never sees it.
/// </summary>
public sealed record LocalGroup
{
    /// <summary>The longest description.</summary>
    public const int MaxDescriptionLength = 255;

    /// <summary>The most members one group holds.</summary>
    public const int MaxMembers = 10_000;

    /// <summary>The group code, unique within its client; identifier characters only.</summary>
    public required string Code { get; init; }

    /// <summary>What the group is for.</summary>
    public required string Description { get; init; }

    /// <summary>The members (members or subsystems), in the order added, without repeats.</summary>
    public ImmutableArray<ClientId> Members { get; init; } = [];

    /// <summary>True when <paramref name="client"/> is a member (exact, ordinal).</summary>
    public bool Contains(ClientId client)
    {
        ArgumentNullException.ThrowIfNull(client);
        foreach (var member in Members)
        {
            if (member == client)
            {
                return true;
            }
        }

        return false;
    }
}
