using ExchangeGateway.Common.Identifiers;

namespace ExchangeGateway.Config.Model;

/// <summary>A global group: a named set of clients that access rights can refer to.</summary>
public sealed record GlobalGroup
{
    /// <summary>Creates a global group entry.</summary>
    public GlobalGroup(GlobalGroupId id, string description, IEnumerable<ClientId> members)
    {
        Id = id;
        Description = description;
        Members = Frozen.List(members, nameof(members));
    }

    /// <summary>The group's identifier.</summary>
    public GlobalGroupId Id { get; init => field = value ?? throw new ArgumentNullException(nameof(Id)); }

    /// <summary>Free-text description.</summary>
    public string Description { get; init => field = value ?? throw new ArgumentNullException(nameof(Description)); }

    /// <summary>The group's members (members or subsystems); membership is exact, a member does not imply its subsystems.</summary>
    public IReadOnlyList<ClientId> Members { get; init => field = Frozen.List(value, nameof(Members)); }
}
