using ExchangeGateway.MessageLog.Records;

namespace ExchangeGateway.MessageLog.Evidence;

/// <summary>
/// A human-readable copy of a record's fields (<c>"fields"</c> in the bundle). It proves nothing by itself:
/// the verifier decodes the canonical bytes and requires this copy, when present, to be equal to them.
/// </summary>
/// <param name="Side">"client" or "server".</param>
/// <param name="Kind">"request" or "response".</param>
/// <param name="MessageId">The message id.</param>
/// <param name="RequestId">The request id.</param>
/// <param name="Client">The client's identifier text.</param>
/// <param name="Service">The service's identifier text.</param>
/// <param name="At">When the proxy handled the message (<see cref="LogTime.Format"/>).</param>
/// <param name="UserId">The user id, when sent.</param>
/// <param name="HttpStatus">The HTTP status of a response.</param>
/// <param name="ErrorCode">The error code of a failed exchange.</param>
/// <param name="BodyLength">The body's length.</param>
/// <param name="BodyDigest">SHA-512 of the body, lower-case hex.</param>
public sealed record EvidenceRecordFields(
    string Side,
    string Kind,
    string MessageId,
    Guid RequestId,
    string Client,
    string Service,
    string At,
    string? UserId,
    int? HttpStatus,
    string? ErrorCode,
    long BodyLength,
    string BodyDigest)
{
    /// <summary>The copy of <paramref name="record"/>'s fields.</summary>
    public static EvidenceRecordFields From(MessageRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new EvidenceRecordFields(
            record.Side == RecordSide.Client ? "client" : "server",
            record.Kind == RecordKind.Request ? "request" : "response",
            record.MessageId,
            record.RequestId,
            record.ClientId,
            record.ServiceId,
            LogTime.Format(record.At),
            record.UserId,
            record.HttpStatus,
            record.ErrorCode,
            record.BodyLength,
            Convert.ToHexStringLower(record.BodyDigest.Span));
    }
}
