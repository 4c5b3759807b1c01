using System.Diagnostics.CodeAnalysis;
using ExchangeGateway.Common.Results;

namespace ExchangeGateway.Common.Identifiers;

/// <summary>
/// The party on either end of an exchange: a member (<c>EE/GOV/70000002</c>) or one of its subsystems
/// (<c>EE/GOV/70000002/clinic</c>), as in <c>X-Road-Client</c> and <c>xrd:client</c>. Ordinal, exact
/// equality; a member client never equals a subsystem client of the same member.
/// </summary>
public sealed record ClientId
{
    private const string Kind = "client";

    /// <summary>Creates a client id; a null <paramref name="subsystemCode"/> makes it a member client.</summary>
    public ClientId(MemberId member, string? subsystemCode = null)
    {
        ArgumentNullException.ThrowIfNull(member);
        Member = member;
        SubsystemCode = subsystemCode is null
            ? null
            : IdentifierText.Require(subsystemCode, "subsystemCode", nameof(subsystemCode));
    }

    /// <summary>The member, or the member that owns the subsystem.</summary>
    public MemberId Member { get; }

    /// <summary>The subsystem code; null for a member client.</summary>
    public string? SubsystemCode { get; }

    /// <summary>True when this names a subsystem.</summary>
    [MemberNotNullWhen(true, nameof(SubsystemCode))]
    public bool IsSubsystem => SubsystemCode is not null;

    /// <summary><see cref="XRoadObjectType.SUBSYSTEM"/> or <see cref="XRoadObjectType.MEMBER"/>.</summary>
    public XRoadObjectType ObjectType => IsSubsystem ? XRoadObjectType.SUBSYSTEM : XRoadObjectType.MEMBER;

    /// <summary>A member as a client.</summary>
    public static implicit operator ClientId(MemberId member) => FromMember(member);

    /// <summary>A subsystem as a client.</summary>
    public static implicit operator ClientId(SubsystemId subsystem) => FromSubsystem(subsystem);

    /// <summary>A member as a client.</summary>
    public static ClientId FromMember(MemberId member) => new(member);

    /// <summary>A subsystem as a client.</summary>
    public static ClientId FromSubsystem(SubsystemId subsystem)
    {
        ArgumentNullException.ThrowIfNull(subsystem);
        return new ClientId(subsystem.Member, subsystem.SubsystemCode);
    }

    /// <summary>The subsystem this client names, or null for a member client.</summary>
    public SubsystemId? AsSubsystem() => IsSubsystem ? new SubsystemId(Member, SubsystemCode) : null;

    /// <summary>Parses trusted canonical text; throws <see cref="FormatException"/> when invalid.</summary>
    public static ClientId Parse(string text) => TryParse(text).GetValueOrThrow();

    /// <summary>Parses the canonical form <c>INSTANCE/CLASS/CODE[/SUBSYSTEM]</c>.</summary>
    public static ParseResult<ClientId> TryParse(string? text) =>
        FromParts(IdentifierText.SplitCanonical(text, Kind, IdentifierText.SubsystemParts, 3, 4));

    /// <summary>
    /// Parses the raw REST form, e.g. an <c>X-Road-Client</c> header value: split on <c>/</c>, then
    /// percent-decode each part.
    /// </summary>
    public static ParseResult<ClientId> TryParseEncoded(string? raw) =>
        FromParts(IdentifierText.SplitEncoded(raw, Kind, IdentifierText.SubsystemParts, 3, 4));

    /// <summary>The canonical form, e.g. <c>EE/GOV/70000002/clinic</c>.</summary>
    public override string ToString() => IsSubsystem ? $"{Member}/{SubsystemCode}" : Member.ToString();

    private static ParseResult<ClientId> FromParts(ParseResult<string[]> parts)
    {
        if (!parts.Success)
        {
            return IdentifierText.Propagate<ClientId, string[]>(parts);
        }

        var p = parts.Value;
        var member = new MemberId(p[0], p[1], p[2]);
        return ParseResult<ClientId>.Ok(new ClientId(member, p.Length == 4 ? p[3] : null));
    }
}
