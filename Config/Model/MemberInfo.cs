using ExchangeGateway.Common.Identifiers;

namespace ExchangeGateway.Config.Model;

/// <summary>A member of the instance, its display name and the codes of its subsystems.</summary>
public sealed record MemberInfo
{
    /// <summary>Creates a member entry.</summary>
    public MemberInfo(MemberId id, string name, IEnumerable<string> subsystemCodes)
    {
        Id = id;
        Name = name;
        SubsystemCodes = Frozen.List(subsystemCodes, nameof(subsystemCodes));
    }

    /// <summary>The member's identifier.</summary>
    public MemberId Id { get; init => field = value ?? throw new ArgumentNullException(nameof(Id)); }

    /// <summary>The organisation's name (free text, no control characters).</summary>
    public string Name { get; init => field = value ?? throw new ArgumentNullException(nameof(Name)); }

    /// <summary>The codes of the member's subsystems, e.g. <c>clinic</c>.</summary>
    public IReadOnlyList<string> SubsystemCodes { get; init => field = Frozen.List(value, nameof(SubsystemCodes)); }
}
