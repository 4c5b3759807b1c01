using ExchangeGateway.Common.Errors;
using ExchangeGateway.Common.Identifiers;
using ExchangeGateway.Common.Results;
using ExchangeGateway.Config.Model;

namespace ExchangeGateway.SecurityServer.Registry;

/// <summary>
/// Who an access right is for: one subsystem (<c>DEV/ORG/70000002/clinic</c>) or every client listed in a
/// global group (<c>group:DEV/hospitals</c>). Exactly one of <see cref="Subsystem"/> and
/// <see cref="Group"/> is set. Ordinal, exact equality.
/// </summary>
public sealed record AccessSubject
{
    /// <summary>The prefix that marks a global group in <c>serverconf.json</c>.</summary>
    public const string GroupPrefix = "group:";

    private AccessSubject(SubsystemId? subsystem, GlobalGroupId? group)
    {
        Subsystem = subsystem;
        Group = group;
    }

    /// <summary>The subsystem, or null for a group subject.</summary>
    public SubsystemId? Subsystem { get; }

    /// <summary>The global group, or null for a subsystem subject.</summary>
    public GlobalGroupId? Group { get; }

    /// <summary>A subsystem subject.</summary>
    public static AccessSubject ForSubsystem(SubsystemId subsystem)
    {
        ArgumentNullException.ThrowIfNull(subsystem);
        return new AccessSubject(subsystem, null);
    }

    /// <summary>A global-group subject.</summary>
    public static AccessSubject ForGroup(GlobalGroupId group)
    {
        ArgumentNullException.ThrowIfNull(group);
        return new AccessSubject(null, group);
    }

    /// <summary>Parses trusted text; throws <see cref="FormatException"/> when invalid.</summary>
    public static AccessSubject Parse(string text) => TryParse(text).GetValueOrThrow();

    /// <summary>Parses <c>INSTANCE/CLASS/MEMBER/SUBSYSTEM</c> or <c>group:INSTANCE/GROUPCODE</c> (canonical text, case-sensitive prefix).</summary>
    public static ParseResult<AccessSubject> TryParse(string? text)
    {
        if (text is not null && text.StartsWith(GroupPrefix, StringComparison.Ordinal))
        {
            var group = GlobalGroupId.TryParse(text[GroupPrefix.Length..]);
            return group.Success
                ? ParseResult<AccessSubject>.Ok(ForGroup(group.Value))
                : ParseResult<AccessSubject>.Fail(group.ErrorCode, group.Message);
        }

        var subsystem = SubsystemId.TryParse(text);
        return subsystem.Success
            ? ParseResult<AccessSubject>.Ok(ForSubsystem(subsystem.Value))
            : ParseResult<AccessSubject>.Fail(
                subsystem.ErrorCode,
                $"{subsystem.Message} An access-right subject is a subsystem INSTANCE/CLASS/MEMBER/SUBSYSTEM or a global group {GroupPrefix}INSTANCE/GROUPCODE.");
    }

    /// <summary>
    /// True when <paramref name="caller"/> is this subsystem, or is listed in this group in
    /// <paramref name="global"/>. Without global configuration no group matches (fail closed).
    /// </summary>
    public bool Matches(ClientId caller, GlobalConfiguration? global)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (Subsystem is not null)
        {
            return caller.IsSubsystem
                && string.Equals(caller.SubsystemCode, Subsystem.SubsystemCode, StringComparison.Ordinal)
                && caller.Member == Subsystem.Member;
        }

        return global is not null && global.IsMemberOfGroup(Group!, caller);
    }

    /// <summary>The text form used in <c>serverconf.json</c>.</summary>
    public override string ToString() => Subsystem is not null ? Subsystem.ToString() : GroupPrefix + Group;
}
