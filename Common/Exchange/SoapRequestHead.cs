using ExchangeGateway.Common.Identifiers;

namespace ExchangeGateway.Common.Exchange;

/// <summary>
/// The signed head of a SOAP (X-Road 4.0) request between security servers: the X-Road header fields
/// the client's server read from the SOAP part, the HTTP headers passed to the provider, and digests of
/// the SOAP part, of every attachment and of the whole body, so one signature over
/// <see cref="HeadCodec.Encode(SoapRequestHead)"/> covers every part (issue #5: attachments are signed).
/// </summary>
public sealed record SoapRequestHead
{
    /// <summary>The service called (<c>xrd:service</c>, with its version when given).</summary>
    public required ServiceId Service { get; init; }

    /// <summary>The calling client (<c>xrd:client</c>).</summary>
    public required ClientId Client { get; init; }

    /// <summary>The message id (<c>xrd:id</c>).</summary>
    public required string MessageId { get; init; }

    /// <summary>One id for the request and its response, made by the client's security server.</summary>
    public required Guid RequestId { get; init; }

    /// <summary><c>xrd:userId</c>, when given.</summary>
    public string? UserId { get; init; }

    /// <summary><c>xrd:issue</c>, when given.</summary>
    public string? Issue { get; init; }

    /// <summary><c>repr:representedParty</c> as <c>[CLASS/]CODE</c>, when given.</summary>
    public string? RepresentedParty { get; init; }

    /// <summary><c>xrd:securityServer</c>, when the client pinned a provider server.</summary>
    public SecurityServerId? SecurityServer { get; init; }

    /// <summary><c>xrd:protocolVersion</c> (always <c>4.0</c> today).</summary>
    public required string ProtocolVersion { get; init; }

    /// <summary>The headers passed to the provider: <c>content-type</c> and, when sent, <c>soapaction</c>.</summary>
    public IReadOnlyList<MessageHeader> Headers { get; init; } = [];

    /// <summary>The SOAP part's length in bytes.</summary>
    public required long SoapLength { get; init; }

    /// <summary>SHA-512 of the SOAP part.</summary>
    public required ReadOnlyMemory<byte> SoapDigest { get; init; }

    /// <summary>The attachments after the SOAP part, in order.</summary>
    public IReadOnlyList<AttachmentDigest> Attachments { get; init; } = [];

    /// <summary>The whole body's length in bytes (the SOAP part alone, or the whole multipart body).</summary>
    public required long BodyLength { get; init; }

    /// <summary>SHA-512 of the whole body.</summary>
    public required ReadOnlyMemory<byte> BodyDigest { get; init; }
}
