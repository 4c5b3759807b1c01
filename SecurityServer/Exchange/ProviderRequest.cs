using ExchangeGateway.Common.Exchange;

namespace ExchangeGateway.SecurityServer.Exchange;

/// <summary>What the server proxy sends to the provider IS.</summary>
/// <param name="ServiceKey">Identifies the service for its circuit breaker.</param>
/// <param name="Target">The absolute URL (base URL plus the raw path and query, not normalised).</param>
/// <param name="Method">The HTTP method.</param>
/// <param name="Headers">Headers to send (already filtered and checked).</param>
/// <param name="Body">The body (empty for none).</param>
/// <param name="Timeouts">Connect, read and total limits.</param>
/// <param name="VerifyTls">Whether the provider's HTTPS certificate is checked against the OS trust store.</param>
public sealed record ProviderRequest(
    string ServiceKey,
    Uri Target,
    string Method,
    IReadOnlyList<MessageHeader> Headers,
    ReadOnlyMemory<byte> Body,
    ProviderTimeouts Timeouts,
    bool VerifyTls);
