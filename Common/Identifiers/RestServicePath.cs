using ExchangeGateway.Common.Results;

namespace ExchangeGateway.Common.Identifiers;

/// <summary>
/// The raw request target of an X-Road REST call after <c>/r1/</c>, split into the service id and the
/// part the provider must receive as sent: e.g. <c>EE/GOV/70000001/hospital/patient-summary/some/path?x=1</c>
/// gives the service, <see cref="Path"/> <c>/some/path</c> and <see cref="Query"/> <c>?x=1</c>.
/// </summary>
/// <remarks>
/// Parse the raw target, never a framework-decoded path: decoding first would turn <c>%2F</c> inside a
/// part into a separator, and dot-segment normalisation would let <c>..</c> climb out of the id.
/// <see cref="Path"/> and <see cref="Query"/> are not decoded or normalised either; whoever appends them
/// to the provider's base URL must not normalise them (System.Uri removes dot segments by default).
/// </remarks>
public sealed record RestServicePath
{
    private const int ServiceParts = 5;

    private RestServicePath(ServiceId service, string path, string query)
    {
        Service = service;
        Path = path;
        Query = query;
    }

    /// <summary>The service addressed by the first five parts.</summary>
    public ServiceId Service { get; }

    /// <summary>The rest of the raw path: empty, or starting with <c>/</c>. Not decoded.</summary>
    public string Path { get; }

    /// <summary>The raw query: empty, or starting with <c>?</c> (so <c>Path + Query</c> is what was sent). Not decoded.</summary>
    public string Query { get; }

    /// <summary>
    /// Splits <paramref name="rawTargetAfterR1"/> (the raw target with the leading <c>/r1/</c> removed).
    /// The query is cut at the first literal <c>?</c>; the path is split on literal <c>/</c> and each of the
    /// first five parts is percent-decoded on its own and must pass the identifier rules.
    /// </summary>
    public static ParseResult<RestServicePath> TryParse(string? rawTargetAfterR1)
    {
        if (string.IsNullOrEmpty(rawTargetAfterR1))
        {
            return IdentifierText.Fail<RestServicePath>("service", "the request target is empty.");
        }

        var queryStart = rawTargetAfterR1.IndexOf('?', StringComparison.Ordinal);
        var pathPart = queryStart < 0 ? rawTargetAfterR1.AsSpan() : rawTargetAfterR1.AsSpan(0, queryStart);
        var query = queryStart < 0 ? string.Empty : rawTargetAfterR1[queryStart..];

        var parts = new string[ServiceParts];
        var rest = pathPart;
        for (var i = 0; i < ServiceParts; i++)
        {
            var slash = rest.IndexOf('/');
            var raw = slash < 0 ? rest : rest[..slash];
            if (slash < 0 && i < ServiceParts - 1)
            {
                return IdentifierText.Fail<RestServicePath>(
                    "service", $"expected {ServiceParts} parts separated by '/' before any path, found {i + 1}.");
            }

            var problem = IdentifierText.DecodePart(raw, IdentifierText.ServiceParts[i], out parts[i]);
            if (problem is not null)
            {
                return IdentifierText.Fail<RestServicePath>("service", problem);
            }

            // After the service code the separator belongs to the provider's path, so it is kept.
            rest = slash < 0 ? [] : i < ServiceParts - 1 ? rest[(slash + 1)..] : rest[slash..];
        }

        var service = ServiceId.FromValidatedParts(parts);
        return ParseResult<RestServicePath>.Ok(new RestServicePath(service, rest.ToString(), query));
    }
}
