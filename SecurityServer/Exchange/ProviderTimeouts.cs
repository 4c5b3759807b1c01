namespace ExchangeGateway.SecurityServer.Exchange;

/// <summary>Every wait on a provider is bounded (RELIABILITY.md: X-Road waits forever by default; we do not).</summary>
/// <param name="Connect">To open the connection.</param>
/// <param name="Read">Until the response headers arrive, and between two reads of the body.</param>
/// <param name="Total">For the whole call.</param>
public sealed record ProviderTimeouts(TimeSpan Connect, TimeSpan Read, TimeSpan Total);
