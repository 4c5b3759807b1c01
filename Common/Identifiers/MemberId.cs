using ExchangeGateway.Common.Results;

namespace ExchangeGateway.Common.Identifiers;

/// <summary>
/// An X-Road member: instance, member class and member code, e.g. <c>EE/GOV/70000002</c>. Equality is
/// ordinal and exact: <c>GOV</c> and <c>gov</c> are different classes.
/// </summary>
public sealed record MemberId
{
    private const string Kind = "member";

    /// <summary>Creates a member id; throws <see cref="ArgumentException"/> when a part breaks the identifier rules.</summary>
    public MemberId(string instance, string memberClass, string memberCode)
    {
        Instance = IdentifierText.Require(instance, "xRoadInstance", nameof(instance));
        MemberClass = IdentifierText.Require(memberClass, "memberClass", nameof(memberClass));
        MemberCode = IdentifierText.Require(memberCode, "memberCode", nameof(memberCode));
    }

    /// <summary>The X-Road instance, e.g. <c>EE</c>.</summary>
    public string Instance { get; }

    /// <summary>The member class, e.g. <c>GOV</c>.</summary>
    public string MemberClass { get; }

    /// <summary>The member code, e.g. <c>70000002</c>.</summary>
    public string MemberCode { get; }

    /// <summary>Parses trusted canonical text; throws <see cref="FormatException"/> when invalid.</summary>
    public static MemberId Parse(string text) => TryParse(text).GetValueOrThrow();

    /// <summary>Parses the canonical form <c>INSTANCE/CLASS/CODE</c>.</summary>
    public static ParseResult<MemberId> TryParse(string? text) =>
        FromParts(IdentifierText.SplitCanonical(text, Kind, IdentifierText.MemberParts, 3, 3));

    /// <summary>Parses the raw REST form: split on <c>/</c>, then percent-decode each part.</summary>
    public static ParseResult<MemberId> TryParseEncoded(string? raw) =>
        FromParts(IdentifierText.SplitEncoded(raw, Kind, IdentifierText.MemberParts, 3, 3));

    /// <summary>The canonical form, e.g. <c>EE/GOV/70000002</c>.</summary>
    public override string ToString() => $"{Instance}/{MemberClass}/{MemberCode}";

    private static ParseResult<MemberId> FromParts(ParseResult<string[]> parts) =>
        parts.Success
            ? ParseResult<MemberId>.Ok(new MemberId(parts.Value[0], parts.Value[1], parts.Value[2]))
            : IdentifierText.Propagate<MemberId, string[]>(parts);
}
