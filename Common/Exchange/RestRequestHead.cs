using ExchangeGateway.Common.Identifiers;

namespace ExchangeGateway.Common.Exchange;

/// <summary>
/// The signed head of a REST request between security servers (ARCHITECTURE.md §2 step 3): everything the
/// provider's server needs to authorise and forward the request, and the digest of the body, so one
/// signature over <see cref="HeadCodec.Encode(RestRequestHead)"/> covers the whole message.
/// </summary>
public sealed record RestRequestHead
{
    /// <summary>The HTTP method, as sent by the client IS.</summary>
    public required string Method { get; init; }

    /// <summary>The service called.</summary>
    public required ServiceId Service { get; init; }

    /// <summary>The raw path and query after the service id (<c>/a/b?x=1</c>, or empty); never decoded or normalised.</summary>
    public required string Target { get; init; }

    /// <summary>The calling client subsystem (<c>X-Road-Client</c>).</summary>
    public required ClientId Client { get; init; }

    /// <summary>The message id (<c>X-Road-Id</c>), chosen by the client IS or made by its security server.</summary>
    public required string MessageId { get; init; }

    /// <summary>One id for the request and its response (<c>X-Road-Request-Id</c>).</summary>
    public required Guid RequestId { get; init; }

    /// <summary><c>X-Road-UserId</c>, when given.</summary>
    public string? UserId { get; init; }

    /// <summary><c>X-Road-Issue</c>, when given.</summary>
    public string? Issue { get; init; }

    /// <summary><c>X-Road-Represented-Party</c>, when given.</summary>
    public string? RepresentedParty { get; init; }

    /// <summary><c>X-Road-Security-Server</c>, when the client pinned a provider server.</summary>
    public SecurityServerId? SecurityServer { get; init; }

    /// <summary>The headers passed to the provider, in order (<see cref="HeaderPolicy"/>).</summary>
    public IReadOnlyList<MessageHeader> Headers { get; init; } = [];

    /// <summary>The body length in bytes (0 for none).</summary>
    public required long BodyLength { get; init; }

    /// <summary>SHA-512 of the body (of the empty string when there is none).</summary>
    public required ReadOnlyMemory<byte> BodyDigest { get; init; }
}
