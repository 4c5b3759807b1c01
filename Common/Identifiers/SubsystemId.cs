using ExchangeGateway.Common.Results;

namespace ExchangeGateway.Common.Identifiers;

/// <summary>A subsystem of a member, e.g. <c>EE/GOV/70000002/clinic</c>. Ordinal, exact equality.</summary>
public sealed record SubsystemId
{
    private const string Kind = "subsystem";

    /// <summary>Creates a subsystem id; throws <see cref="ArgumentException"/> when the code breaks the identifier rules.</summary>
    public SubsystemId(MemberId member, string subsystemCode)
    {
        ArgumentNullException.ThrowIfNull(member);
        Member = member;
        SubsystemCode = IdentifierText.Require(subsystemCode, "subsystemCode", nameof(subsystemCode));
    }

    /// <summary>Creates a subsystem id from its four parts.</summary>
    public SubsystemId(string instance, string memberClass, string memberCode, string subsystemCode)
        : this(new MemberId(instance, memberClass, memberCode), subsystemCode)
    {
    }

    /// <summary>The member that owns the subsystem.</summary>
    public MemberId Member { get; }

    /// <summary>The subsystem code, e.g. <c>clinic</c>.</summary>
    public string SubsystemCode { get; }

    /// <summary>Parses trusted canonical text; throws <see cref="FormatException"/> when invalid.</summary>
    public static SubsystemId Parse(string text) => TryParse(text).GetValueOrThrow();

    /// <summary>Parses the canonical form <c>INSTANCE/CLASS/CODE/SUBSYSTEM</c>.</summary>
    public static ParseResult<SubsystemId> TryParse(string? text) =>
        FromParts(IdentifierText.SplitCanonical(text, Kind, IdentifierText.SubsystemParts, 4, 4));

    /// <summary>Parses the raw REST form: split on <c>/</c>, then percent-decode each part.</summary>
    public static ParseResult<SubsystemId> TryParseEncoded(string? raw) =>
        FromParts(IdentifierText.SplitEncoded(raw, Kind, IdentifierText.SubsystemParts, 4, 4));

    /// <summary>The canonical form, e.g. <c>EE/GOV/70000002/clinic</c>.</summary>
    public override string ToString() => $"{Member}/{SubsystemCode}";

    private static ParseResult<SubsystemId> FromParts(ParseResult<string[]> parts) =>
        parts.Success
            ? ParseResult<SubsystemId>.Ok(new SubsystemId(parts.Value[0], parts.Value[1], parts.Value[2], parts.Value[3]))
            : IdentifierText.Propagate<SubsystemId, string[]>(parts);
}
