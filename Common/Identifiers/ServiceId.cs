using ExchangeGateway.Common.Results;

namespace ExchangeGateway.Common.Identifiers;

/// <summary>
/// A service: the providing subsystem, a service code and, for SOAP only, an optional version, e.g.
/// <c>EE/GOV/70000001/hospital/patient-summary</c> or <c>.../patient-summary/v1</c>. Ordinal, exact equality.
/// </summary>
/// <remarks>
/// X-Road's identifier schema lets a service hang off a bare member, but X-Road has allowed services
/// only on subsystems since version 6, and a member-level service would make the 5-part text form
/// ambiguous (<c>I/C/M/code/version</c> versus <c>I/C/M/subsystem/code</c>). The provider is therefore
/// typed as a <see cref="SubsystemId"/>.
/// </remarks>
public sealed record ServiceId
{
    private const string Kind = "service";

    /// <summary>Creates a service id; throws <see cref="ArgumentException"/> when a part breaks the identifier rules.</summary>
    public ServiceId(SubsystemId client, string serviceCode, string? serviceVersion = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        Client = client;
        ServiceCode = IdentifierText.Require(serviceCode, "serviceCode", nameof(serviceCode));
        ServiceVersion = serviceVersion is null
            ? null
            : IdentifierText.Require(serviceVersion, "serviceVersion", nameof(serviceVersion));
    }

    /// <summary>The subsystem that provides the service.</summary>
    public SubsystemId Client { get; }

    /// <summary>The service code, e.g. <c>patient-summary</c>.</summary>
    public string ServiceCode { get; }

    /// <summary>The service version (SOAP only), e.g. <c>v1</c>; null when absent.</summary>
    public string? ServiceVersion { get; }

    /// <summary>Parses trusted canonical text; throws <see cref="FormatException"/> when invalid.</summary>
    public static ServiceId Parse(string text) => TryParse(text).GetValueOrThrow();

    /// <summary>Parses the canonical form <c>INSTANCE/CLASS/CODE/SUBSYSTEM/SERVICE[/VERSION]</c>.</summary>
    public static ParseResult<ServiceId> TryParse(string? text) =>
        FromParts(IdentifierText.SplitCanonical(text, Kind, IdentifierText.ServiceParts, 5, 6));

    /// <summary>
    /// Parses the raw REST form <c>INSTANCE/CLASS/CODE/SUBSYSTEM/SERVICE</c>: exactly five parts, because
    /// REST services have no version. Split on <c>/</c>, then percent-decode each part. For a full
    /// <c>/r1/</c> request target use <see cref="RestServicePath.TryParse"/>.
    /// </summary>
    public static ParseResult<ServiceId> TryParseEncoded(string? raw) =>
        FromParts(IdentifierText.SplitEncoded(raw, Kind, IdentifierText.ServiceParts, 5, 5));

    /// <summary>The canonical form, with the version as a sixth part when present.</summary>
    public override string ToString() =>
        ServiceVersion is null ? $"{Client}/{ServiceCode}" : $"{Client}/{ServiceCode}/{ServiceVersion}";

    internal static ServiceId FromValidatedParts(string[] p) =>
        new(new SubsystemId(p[0], p[1], p[2], p[3]), p[4], p.Length == 6 ? p[5] : null);

    private static ParseResult<ServiceId> FromParts(ParseResult<string[]> parts) =>
        parts.Success
            ? ParseResult<ServiceId>.Ok(FromValidatedParts(parts.Value))
            : IdentifierText.Propagate<ServiceId, string[]>(parts);
}
