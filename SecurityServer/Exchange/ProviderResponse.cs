using ExchangeGateway.Common.Exchange;

namespace ExchangeGateway.SecurityServer.Exchange;

/// <summary>The provider's answer, body read into pooled memory (dispose it).</summary>
/// <param name="Status">The HTTP status, passed back unchanged (redirects included: they are never followed).</param>
/// <param name="Headers">The headers that may go back (<see cref="HeaderPolicy"/>).</param>
/// <param name="Body">The body.</param>
public sealed record ProviderResponse(int Status, IReadOnlyList<MessageHeader> Headers, BodyBuffer Body) : IDisposable
{
    /// <inheritdoc />
    public void Dispose() => Body.Dispose();
}
