using ExchangeGateway.Common.Exchange;
using ExchangeGateway.Common.Identifiers;

namespace ExchangeGateway.SecurityServer.Exchange;

/// <summary>A request the client proxy has accepted and is about to sign, log and send, in either protocol.</summary>
/// <param name="Client">The calling client subsystem.</param>
/// <param name="Service">The service called.</param>
/// <param name="MessageId">The message id.</param>
/// <param name="RequestId">The request id made for this exchange.</param>
/// <param name="UserId">The end user, when given.</param>
/// <param name="HeadBytes">The canonical head to be signed.</param>
/// <param name="Body">The body (the whole SOAP or multipart body for SOAP).</param>
/// <param name="EnvelopePath">The server proxy path: <see cref="EnvelopeFrame.RestPath"/> or <see cref="EnvelopeFrame.SoapPath"/>.</param>
public sealed record OutboundRequest(ClientId Client, ServiceId Service, string MessageId, Guid RequestId, string? UserId, byte[] HeadBytes, BodyBuffer Body, string EnvelopePath)
{
    /// <summary>SHA-512 of the SOAP part, for a SOAP request (its X-Road request hash, base64); empty for REST.</summary>
    public ReadOnlyMemory<byte> SoapDigest { get; init; }

    /// <summary>The ids its log records carry.</summary>
    public ExchangeIds Ids => new(Client, Service, MessageId, RequestId, UserId);
}
