using ExchangeGateway.Common.Errors;

namespace ExchangeGateway.SecurityServer.Exchange;

/// <summary>An expected failure of an exchange stage: the X-Road code and a message for the caller.</summary>
/// <param name="Code">The error code (its family says which side failed).</param>
/// <param name="Message">Safe to show to the caller: no secrets, no personal data.</param>
public sealed record ExchangeFailure(ErrorCode Code, string Message)
{
    /// <summary>A <c>client.*</c> failure.</summary>
    public static ExchangeFailure Client(ErrorCatalogEntry entry, string message) => new(ErrorCode.Client(entry), message);

    /// <summary>A <c>server.clientproxy.*</c> failure.</summary>
    public static ExchangeFailure ClientProxy(ErrorCatalogEntry entry, string message) => new(ErrorCode.ClientProxy(entry), message);

    /// <summary>A <c>server.serverproxy.*</c> failure.</summary>
    public static ExchangeFailure ServerProxy(ErrorCatalogEntry entry, string message) => new(ErrorCode.ServerProxy(entry), message);

    /// <summary>
    /// A parser's failure (its code is from the IS's point of view, <c>client.*</c>) moved into
    /// <paramref name="family"/>: a provider's or peer's bad message is that side's fault, not the IS's.
    /// A suffix the family does not allow becomes <paramref name="fallback"/>.
    /// </summary>
    public static ExchangeFailure Refamily(ErrorFamily family, string parsedCode, string message, ErrorCatalogEntry fallback)
    {
        var parsed = ErrorCode.TryParse(parsedCode);
        var entry = parsed.Success && ErrorCatalog.TryGet(parsed.Value!.Suffix, out var found) && found.AllowsFamily(family) ? found : fallback;
        return new ExchangeFailure(ErrorCode.Create(family, entry), message);
    }
}
