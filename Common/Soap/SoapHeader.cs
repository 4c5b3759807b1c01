using ExchangeGateway.Common.Identifiers;

namespace ExchangeGateway.Common.Soap;

/// <summary>
/// The X-Road 4.0 header fields of a SOAP message, as read (<see cref="SoapEnvelopeReader"/>) or to be
/// written (<see cref="SoapMessageWriter"/>). Header elements in other namespaces are not kept.
/// </summary>
public sealed record SoapHeader
{
    /// <summary>The protocol version X-Road 4.0 messages carry in <c>xrd:protocolVersion</c>.</summary>
    public const string ProtocolVersion40 = "4.0";

    /// <summary><c>xrd:client</c>: the consumer.</summary>
    public required ClientId Client { get; init; }

    /// <summary><c>xrd:service</c>: the service called. Always present in a message the reader accepted.</summary>
    public ServiceId? Service { get; init; }

    /// <summary><c>xrd:id</c>: the message id chosen by the client.</summary>
    public required string Id { get; init; }

    /// <summary><c>xrd:protocolVersion</c>; always <see cref="ProtocolVersion40"/> in a message the reader accepted.</summary>
    public string ProtocolVersion { get; init; } = ProtocolVersion40;

    /// <summary><c>xrd:userId</c>: the end user; null when absent.</summary>
    public string? UserId { get; init; }

    /// <summary><c>xrd:issue</c>: the case reference; null when absent.</summary>
    public string? Issue { get; init; }

    /// <summary><c>xrd:securityServer</c>: the provider's security server the client pinned; null when absent.</summary>
    public SecurityServerId? SecurityServer { get; init; }

    /// <summary><c>repr:representedParty</c>; null when absent.</summary>
    public RepresentedParty? RepresentedParty { get; init; }

    /// <summary><c>xrd:requestHash</c> (responses only): base64 digest of the request's SOAP part; null when absent.</summary>
    public string? RequestHash { get; init; }

    /// <summary>The <c>algorithmId</c> attribute of <c>xrd:requestHash</c>; null when absent.</summary>
    public string? RequestHashAlgorithm { get; init; }

    /// <summary>
    /// The local names of the X-Road header fields in document order (<c>client</c>, <c>service</c>,
    /// <c>id</c>, …, <c>representedParty</c>, <c>requestHash</c>). A response echoes the request's fields
    /// in this order. Empty means the writer's default order.
    /// </summary>
    public IReadOnlyList<string> Order { get; init; } = [];
}
