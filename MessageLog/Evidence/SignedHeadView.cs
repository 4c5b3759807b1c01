using ExchangeGateway.Common.Exchange;
using ExchangeGateway.Common.Results;
using ExchangeGateway.MessageLog.Records;

namespace ExchangeGateway.MessageLog.Evidence;

/// <summary>
/// The fields of a signed head (REST or SOAP, request or response) that a log record repeats, read through
/// <see cref="HeadCodec"/>, the one reader of heads: only the canonical form the proxies write and accept is
/// read. Evidence bundles, export verification and reconciliation compare a record with its head through it.
/// </summary>
/// <param name="Type">"REST request", "SOAP response" and so on.</param>
/// <param name="MessageId">The signed message id.</param>
/// <param name="RequestId">The signed request id.</param>
/// <param name="Client">The signed client.</param>
/// <param name="Service">The signed service.</param>
/// <param name="BodyLength">The signed body length.</param>
/// <param name="BodyDigest">The signed SHA-512 body digest.</param>
/// <param name="PinnedServer">The security server a request head pins; null for a response or an unpinned request.</param>
/// <param name="LogReceipt">The provider's bilateral log receipt a response head carries, if any.</param>
internal sealed record SignedHeadView(
    string Type,
    string MessageId,
    Guid RequestId,
    string Client,
    string Service,
    long BodyLength,
    ReadOnlyMemory<byte> BodyDigest,
    string? PinnedServer = null,
    LogReceipt? LogReceipt = null)
{
    /// <summary>Decodes <paramref name="head"/> as the head of a <paramref name="kind"/>, REST first, then SOAP.</summary>
    public static ParseResult<SignedHeadView> Decode(ReadOnlySpan<byte> head, RecordKind kind)
    {
        if (kind == RecordKind.Request)
        {
            var rest = HeadCodec.DecodeRequest(head);
            if (rest.Success)
            {
                var h = rest.Value!;
                return Ok(new("REST request", h.MessageId, h.RequestId, h.Client.ToString(), h.Service.ToString(), h.BodyLength, h.BodyDigest, h.SecurityServer?.ToString()));
            }

            var soap = HeadCodec.DecodeSoapRequest(head);
            if (soap.Success)
            {
                var h = soap.Value!;
                return Ok(new("SOAP request", h.MessageId, h.RequestId, h.Client.ToString(), h.Service.ToString(), h.BodyLength, h.BodyDigest, h.SecurityServer?.ToString()));
            }

            return ParseResult<SignedHeadView>.Fail(rest.ErrorCode!, $"the head is neither a REST nor a SOAP request head: {rest.Message}");
        }

        var restResponse = HeadCodec.DecodeResponse(head);
        if (restResponse.Success)
        {
            var h = restResponse.Value!;
            return Ok(new("REST response", h.MessageId, h.RequestId, h.Client.ToString(), h.Service.ToString(), h.BodyLength, h.BodyDigest, LogReceipt: h.LogReceipt));
        }

        var soapResponse = HeadCodec.DecodeSoapResponse(head);
        if (soapResponse.Success)
        {
            var h = soapResponse.Value!;
            return Ok(new("SOAP response", h.MessageId, h.RequestId, h.Client.ToString(), h.Service.ToString(), h.BodyLength, h.BodyDigest, LogReceipt: h.LogReceipt));
        }

        return ParseResult<SignedHeadView>.Fail(restResponse.ErrorCode!, $"the head is neither a REST nor a SOAP response head: {restResponse.Message}");
    }

    /// <summary>The first field in which the head and the record disagree, or null.</summary>
    public string? Disagreement(MessageRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (!string.Equals(MessageId, record.MessageId, StringComparison.Ordinal))
        {
            return $"the signed head's message id '{MessageId}' is not the record's '{record.MessageId}'";
        }

        if (RequestId != record.RequestId)
        {
            return $"the signed head's request id {RequestId:D} is not the record's {record.RequestId:D}";
        }

        if (!string.Equals(Client, record.ClientId, StringComparison.Ordinal))
        {
            return $"the signed head's client '{Client}' is not the record's '{record.ClientId}'";
        }

        if (!string.Equals(Service, record.ServiceId, StringComparison.Ordinal))
        {
            return $"the signed head's service '{Service}' is not the record's '{record.ServiceId}'";
        }

        if (BodyLength != record.BodyLength)
        {
            return FormattableString.Invariant($"the signed head's body length {BodyLength} is not the record's {record.BodyLength}");
        }

        return BodyDigest.Span.SequenceEqual(record.BodyDigest.Span) ? null : "the signed head's body digest is not the record's";
    }

    private static ParseResult<SignedHeadView> Ok(SignedHeadView view) => ParseResult<SignedHeadView>.Ok(view);
}
