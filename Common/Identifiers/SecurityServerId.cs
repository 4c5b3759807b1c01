using ExchangeGateway.Common.Results;

namespace ExchangeGateway.Common.Identifiers;

/// <summary>
/// A security server: its owner member and server code, e.g. <c>EE/GOV/70000001/ss1</c>, as in
/// <c>X-Road-Security-Server</c> and <c>xrd:securityServer</c>. Ordinal, exact equality.
/// </summary>
public sealed record SecurityServerId
{
    private const string Kind = "security server";

    /// <summary>Creates a security server id; throws <see cref="ArgumentException"/> when the code breaks the identifier rules.</summary>
    public SecurityServerId(MemberId owner, string serverCode)
    {
        ArgumentNullException.ThrowIfNull(owner);
        Owner = owner;
        ServerCode = IdentifierText.Require(serverCode, "serverCode", nameof(serverCode));
    }

    /// <summary>The member that owns the server.</summary>
    public MemberId Owner { get; }

    /// <summary>The server code, e.g. <c>ss1</c>.</summary>
    public string ServerCode { get; }

    /// <summary>Parses trusted canonical text; throws <see cref="FormatException"/> when invalid.</summary>
    public static SecurityServerId Parse(string text) => TryParse(text).GetValueOrThrow();

    /// <summary>Parses the canonical form <c>INSTANCE/CLASS/CODE/SERVERCODE</c>.</summary>
    public static ParseResult<SecurityServerId> TryParse(string? text) =>
        FromParts(IdentifierText.SplitCanonical(text, Kind, IdentifierText.ServerParts, 4, 4));

    /// <summary>Parses the raw header form (<c>X-Road-Security-Server</c>): split on <c>/</c>, then percent-decode each part.</summary>
    public static ParseResult<SecurityServerId> TryParseEncoded(string? raw) =>
        FromParts(IdentifierText.SplitEncoded(raw, Kind, IdentifierText.ServerParts, 4, 4));

    /// <summary>The canonical form, e.g. <c>EE/GOV/70000001/ss1</c>.</summary>
    public override string ToString() => $"{Owner}/{ServerCode}";

    private static ParseResult<SecurityServerId> FromParts(ParseResult<string[]> parts) =>
        parts.Success
            ? ParseResult<SecurityServerId>.Ok(new SecurityServerId(new MemberId(parts.Value[0], parts.Value[1], parts.Value[2]), parts.Value[3]))
            : IdentifierText.Propagate<SecurityServerId, string[]>(parts);
}
