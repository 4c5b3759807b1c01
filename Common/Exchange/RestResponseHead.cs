using ExchangeGateway.Common.Identifiers;

namespace ExchangeGateway.Common.Exchange;

/// <summary>
/// The signed head of a REST response: the provider's status and headers, the ids that tie it to its
/// request, the request hash (XROAD-COMPAT.md), and the body digest.
/// </summary>
public sealed record RestResponseHead
{
    /// <summary>The provider's HTTP status, passed back unchanged (redirects included).</summary>
    public required int Status { get; init; }

    /// <summary>The service that answered.</summary>
    public required ServiceId Service { get; init; }

    /// <summary>The client the answer is for.</summary>
    public required ClientId Client { get; init; }

    /// <summary>The request's message id.</summary>
    public required string MessageId { get; init; }

    /// <summary>The request's request id.</summary>
    public required Guid RequestId { get; init; }

    /// <summary>The request hash computed by the provider's server over the request it received (<see cref="RequestHash"/>).</summary>
    public required string RequestHash { get; init; }

    /// <summary>The provider's headers passed back, in order (<see cref="HeaderPolicy"/>).</summary>
    public IReadOnlyList<MessageHeader> Headers { get; init; } = [];

    /// <summary>
    /// The provider's server's receipt for the request record in its message log; null from a server that
    /// gives none (an older one, or when the client side did not ask with <see cref="LogReceipt.AcceptHeader"/>).
    /// </summary>
    public LogReceipt? LogReceipt { get; init; }

    /// <summary>The body length in bytes.</summary>
    public required long BodyLength { get; init; }

    /// <summary>SHA-512 of the body.</summary>
    public required ReadOnlyMemory<byte> BodyDigest { get; init; }
}
