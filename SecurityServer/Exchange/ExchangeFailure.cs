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
}
