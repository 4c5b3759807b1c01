using ExchangeGateway.Common.Exchange;
using ExchangeGateway.Common.Results;
using ExchangeGateway.MessageLog.Records;

namespace ExchangeGateway.MessageLog.Evidence;

/// <summary>The fields of a signed head (REST or SOAP, request or response) that a log record repeats.</summary>
internal sealed record SignedHeadView(string Type, string MessageId, Guid RequestId, string Client, string Service, long BodyLength, ReadOnlyMemory<byte> BodyDigest)
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
                return Ok(new("REST request", h.MessageId, h.RequestId, h.Client.ToString(), h.Service.ToString(), h.BodyLength, h.BodyDigest));
            }

            var soap = HeadCodec.DecodeSoapRequest(head);
            if (soap.Success)
            {
                var h = soap.Value!;
                return Ok(new("SOAP request", h.MessageId, h.RequestId, h.Client.ToString(), h.Service.ToString(), h.BodyLength, h.BodyDigest));
            }

            return ParseResult<SignedHeadView>.Fail(rest.ErrorCode!, $"the head is neither a REST nor a SOAP request head: {rest.Message}");
        }

        var restResponse = HeadCodec.DecodeResponse(head);
        if (restResponse.Success)
        {
            var h = restResponse.Value!;
            return Ok(new("REST response", h.MessageId, h.RequestId, h.Client.ToString(), h.Service.ToString(), h.BodyLength, h.BodyDigest));
        }

        var soapResponse = HeadCodec.DecodeSoapResponse(head);
        if (soapResponse.Success)
        {
            var h = soapResponse.Value!;
            return Ok(new("SOAP response", h.MessageId, h.RequestId, h.Client.ToString(), h.Service.ToString(), h.BodyLength, h.BodyDigest));
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
