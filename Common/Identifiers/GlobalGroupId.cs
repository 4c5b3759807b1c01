using ExchangeGateway.Common.Results;

namespace ExchangeGateway.Common.Identifiers;

/// <summary>A global group of an X-Road instance, e.g. <c>EE/security-officers</c>. Ordinal, exact equality.</summary>
public sealed record GlobalGroupId
{
    private const string Kind = "global group";

    /// <summary>Creates a global group id; throws <see cref="ArgumentException"/> when a part breaks the identifier rules.</summary>
    public GlobalGroupId(string instance, string groupCode)
    {
        Instance = IdentifierText.Require(instance, "xRoadInstance", nameof(instance));
        GroupCode = IdentifierText.Require(groupCode, "groupCode", nameof(groupCode));
    }

    /// <summary>The X-Road instance, e.g. <c>EE</c>.</summary>
    public string Instance { get; }

    /// <summary>The group code, e.g. <c>security-officers</c>.</summary>
    public string GroupCode { get; }

    /// <summary>Parses trusted canonical text; throws <see cref="FormatException"/> when invalid.</summary>
    public static GlobalGroupId Parse(string text) => TryParse(text).GetValueOrThrow();

    /// <summary>Parses the canonical form <c>INSTANCE/GROUPCODE</c>.</summary>
    public static ParseResult<GlobalGroupId> TryParse(string? text) =>
        FromParts(IdentifierText.SplitCanonical(text, Kind, IdentifierText.GroupParts, 2, 2));

    /// <summary>Parses the raw percent-encoded form: split on <c>/</c>, then percent-decode each part.</summary>
    public static ParseResult<GlobalGroupId> TryParseEncoded(string? raw) =>
        FromParts(IdentifierText.SplitEncoded(raw, Kind, IdentifierText.GroupParts, 2, 2));

    /// <summary>The canonical form, e.g. <c>EE/security-officers</c>.</summary>
    public override string ToString() => $"{Instance}/{GroupCode}";

    private static ParseResult<GlobalGroupId> FromParts(ParseResult<string[]> parts) =>
        parts.Success
            ? ParseResult<GlobalGroupId>.Ok(new GlobalGroupId(parts.Value[0], parts.Value[1]))
            : IdentifierText.Propagate<GlobalGroupId, string[]>(parts);
}
