using ExchangeGateway.Common.Identifiers;

namespace ExchangeGateway.Common.Exchange;

/// <summary>
/// The signed head of a SOAP response: the ids tying it to its request, the gateway's request hash over
/// the signed request (<see cref="RequestHash"/>), whether the provider answered a fault, the content type
/// passed back, and digests of the SOAP part (which carries <c>xrd:requestHash</c>), attachments and body.
/// </summary>
public sealed record SoapResponseHead
{
    /// <summary>The provider's HTTP status (200, or 500 with a SOAP fault).</summary>
    public required int Status { get; init; }

    /// <summary>The service that answered.</summary>
    public required ServiceId Service { get; init; }

    /// <summary>The client the answer is for.</summary>
    public required ClientId Client { get; init; }

    /// <summary>The request's message id.</summary>
    public required string MessageId { get; init; }

    /// <summary>The request's request id.</summary>
    public required Guid RequestId { get; init; }

    /// <summary><see cref="Exchange.RequestHash.Compute"/> over the signed request head and body the provider's server received.</summary>
    public required string RequestHash { get; init; }

    /// <summary>True when the provider answered with a SOAP fault (passed through; it carries no <c>xrd:requestHash</c>).</summary>
    public required bool Fault { get; init; }

    /// <summary>The headers passed back to the client IS: <c>content-type</c> only.</summary>
    public IReadOnlyList<MessageHeader> Headers { get; init; } = [];

    /// <summary>
    /// The provider's server's receipt for the request record in its message log; null from a server that
    /// gives none (an older one, or when the client side did not ask with <see cref="LogReceipt.AcceptHeader"/>).
    /// </summary>
    public LogReceipt? LogReceipt { get; init; }

    /// <summary>The SOAP part's length in bytes.</summary>
    public required long SoapLength { get; init; }

    /// <summary>SHA-512 of the SOAP part.</summary>
    public required ReadOnlyMemory<byte> SoapDigest { get; init; }

    /// <summary>The attachments after the SOAP part, in order.</summary>
    public IReadOnlyList<AttachmentDigest> Attachments { get; init; } = [];

    /// <summary>The whole body's length in bytes.</summary>
    public required long BodyLength { get; init; }

    /// <summary>SHA-512 of the whole body.</summary>
    public required ReadOnlyMemory<byte> BodyDigest { get; init; }
}
