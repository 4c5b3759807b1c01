using ExchangeGateway.Common.Crypto.Merkle;
using ExchangeGateway.MessageLog.Records;

namespace ExchangeGateway.MessageLog.Search;

/// <summary>A record's metadata as the auditor's search returns it: never its head, signature, OCSP response or body.</summary>
/// <param name="Sequence">The sequence number.</param>
/// <param name="At">When the proxy made the record (UTC, microseconds).</param>
/// <param name="LoggedAt">When the log committed it.</param>
/// <param name="Side">Which proxy wrote it.</param>
/// <param name="Kind">Request or response.</param>
/// <param name="MessageId">The message id.</param>
/// <param name="RequestId">The request id shared by the request and its response.</param>
/// <param name="ClientId">The client.</param>
/// <param name="ServiceId">The service.</param>
/// <param name="UserId">The end user, when given.</param>
/// <param name="HttpStatus">The HTTP status of a response.</param>
/// <param name="ErrorCode">The error code when the exchange failed.</param>
/// <param name="BodyLength">The body's length in bytes.</param>
/// <param name="BodyState">Where the body is.</param>
/// <param name="LeafHash">The stored leaf hash (what inclusion proofs prove).</param>
public sealed record RecordSummary(
    long Sequence,
    DateTimeOffset At,
    DateTimeOffset LoggedAt,
    RecordSide Side,
    RecordKind Kind,
    string MessageId,
    Guid RequestId,
    string ClientId,
    string ServiceId,
    string? UserId,
    int? HttpStatus,
    string? ErrorCode,
    long BodyLength,
    BodyLocation BodyState,
    MerkleHash LeafHash)
{
    /// <summary>The outcome by the search's rule (<see cref="RecordOutcome"/>).</summary>
    public RecordOutcome Outcome => ErrorCode is not null || HttpStatus >= 400 ? RecordOutcome.Error : RecordOutcome.Success;
}
