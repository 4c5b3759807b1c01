using ExchangeGateway.Common.Errors;
using ExchangeGateway.Common.Identifiers;
using ExchangeGateway.Common.Results;
using ExchangeGateway.Config.Model;

namespace ExchangeGateway.SecurityServer.Registry;

/// <summary>
/// Who an access right is for: one subsystem (<c>DEV/ORG/70000002/clinic</c>), every client listed in a
/// global group (<c>group:DEV/hospitals</c>), or every member of a local group of the providing client
/// (<c>local-group:partners</c>). Exactly one of <see cref="Subsystem"/>, <see cref="Group"/> and
/// <see cref="LocalGroupCode"/> is set. Ordinal, exact equality.
/// </summary>
public sealed record AccessSubject
{
    /// <summary>The prefix that marks a global group in <c>serverconf.json</c>.</summary>
    public const string GroupPrefix = "group:";

    /// <summary>The prefix that marks a local group of the providing client.</summary>
    public const string LocalGroupPrefix = "local-group:";

    private AccessSubject(SubsystemId? subsystem, GlobalGroupId? group, string? localGroupCode = null)
    {
        Subsystem = subsystem;
        Group = group;
        LocalGroupCode = localGroupCode;
    }

    /// <summary>The subsystem, or null for a group subject.</summary>
    public SubsystemId? Subsystem { get; }

    /// <summary>The global group, or null for a subsystem subject.</summary>
    public GlobalGroupId? Group { get; }

    /// <summary>The code of a local group of the providing client, or null.</summary>
    public string? LocalGroupCode { get; }

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

    /// <summary>A local-group subject; throws <see cref="ArgumentException"/> when the code breaks the rules.</summary>
    public static AccessSubject ForLocalGroup(string code)
    {
        var problem = LocalConfigurationRules.CheckLocalGroupCode(code);
        return problem is null ? new AccessSubject(null, null, code) : throw new ArgumentException(problem, nameof(code));
    }

    /// <summary>Parses trusted text; throws <see cref="FormatException"/> when invalid.</summary>
    public static AccessSubject Parse(string text) => TryParse(text).GetValueOrThrow();

    /// <summary>Parses <c>INSTANCE/CLASS/MEMBER/SUBSYSTEM</c>, <c>group:INSTANCE/GROUPCODE</c> or <c>local-group:CODE</c> (canonical text, case-sensitive prefix).</summary>
    public static ParseResult<AccessSubject> TryParse(string? text)
    {
        if (text is not null && text.StartsWith(LocalGroupPrefix, StringComparison.Ordinal))
        {
            var code = text[LocalGroupPrefix.Length..];
            var problem = LocalConfigurationRules.CheckLocalGroupCode(code);
            return problem is null
                ? ParseResult<AccessSubject>.Ok(new AccessSubject(null, null, code))
                : ParseResult<AccessSubject>.Fail(ErrorCode.Client(ErrorCatalog.InvalidIdentifier).Value, problem);
        }

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
                $"{subsystem.Message} An access-right subject is a subsystem INSTANCE/CLASS/MEMBER/SUBSYSTEM, a global group {GroupPrefix}INSTANCE/GROUPCODE or a local group {LocalGroupPrefix}CODE.");
    }

    /// <summary>
    /// True when <paramref name="caller"/> is this subsystem, or is listed in this group in
    /// <paramref name="global"/>, or is a member of this local group of <paramref name="provider"/>.
    /// Without global configuration no global group matches, and without the provider no local group
    /// matches (fail closed).
    /// </summary>
    public bool Matches(ClientId caller, GlobalConfiguration? global, LocalClient? provider = null)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (LocalGroupCode is not null)
        {
            return provider?.FindLocalGroup(LocalGroupCode) is { } local && local.Contains(caller);
        }

        if (Subsystem is not null)
        {
            return caller.IsSubsystem
                && string.Equals(caller.SubsystemCode, Subsystem.SubsystemCode, StringComparison.Ordinal)
                && caller.Member == Subsystem.Member;
        }

        return global is not null && global.IsMemberOfGroup(Group!, caller);
    }

    /// <summary>The text form used in <c>serverconf.json</c>.</summary>
    public override string ToString() =>
        Subsystem is not null ? Subsystem.ToString() : LocalGroupCode is not null ? LocalGroupPrefix + LocalGroupCode : GroupPrefix + Group;
}
