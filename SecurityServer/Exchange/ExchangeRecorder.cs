using System.Security.Cryptography;
using ExchangeGateway.Common.Exchange;
using ExchangeGateway.Common.Errors;
using ExchangeGateway.MessageLog.Records;
using ExchangeGateway.MessageLog.Storage;

namespace ExchangeGateway.SecurityServer.Exchange;

/// <summary>
/// Writes exchange records to the message log and turns a refusal into the proxy's error code: the
/// log is written before anything is forwarded and before anything is acknowledged, so a log that
/// cannot be written stops the exchange (fail closed).
/// </summary>
public sealed class ExchangeRecorder
{
    private static readonly byte[] EmptyDigest = SHA512.HashData(ReadOnlySpan<byte>.Empty);
    private readonly MessageLogStore _log;
    private readonly TimeProvider _time;

    /// <summary>Creates the recorder.</summary>
    public ExchangeRecorder(MessageLogStore log, TimeProvider time)
    {
        _log = log;
        _time = time;
    }

    /// <summary>The store, for health and metrics.</summary>
    public MessageLogStore Store => _log;

    /// <summary>True while time-stamping is within its acceptable failure period.</summary>
    public bool IsWithinTimeStampingPeriod => _log.IsWithinPeriod(_time.GetUtcNow());

    /// <summary>Appends <paramref name="record"/>; null when durable, else the failure in <paramref name="family"/>.</summary>
    public async ValueTask<ExchangeFailure?> AppendAsync(MessageRecord record, ErrorFamily family, CancellationToken cancellationToken) =>
        (await AppendNumberedAsync(record, family, cancellationToken).ConfigureAwait(false)).Failure;

    /// <summary>Appends <paramref name="record"/>; its sequence number when durable, else the failure in <paramref name="family"/>.</summary>
    public async ValueTask<(long Sequence, ExchangeFailure? Failure)> AppendNumberedAsync(MessageRecord record, ErrorFamily family, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        var result = await _log.AppendAsync(record, cancellationToken).ConfigureAwait(false);
        if (result.IsSuccess)
        {
            return (result.Sequence, null);
        }

        var entry = result.Failure == LogFailure.TimestamperFailed ? ErrorCatalog.TimestamperFailed : ErrorCatalog.DatabaseError;
        var message = result.Failure == LogFailure.TimestamperFailed
            ? "Time-stamping has failed for longer than the acceptable period; no new messages are accepted until it recovers."
            : "The message log cannot be written; nothing is forwarded unlogged.";
        return (0, new ExchangeFailure(ErrorCode.Create(family, entry), message));
    }

    /// <summary>A record of a signed message (request or response) of the exchange <paramref name="ids"/>.</summary>
    public MessageRecord Record(
        RecordSide side, RecordKind kind, ExchangeIds ids, int? status, ReadOnlyMemory<byte> head, ReadOnlyMemory<byte> signature, ReadOnlyMemory<byte> ocsp, BodyBuffer body, bool logBody)
    {
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentNullException.ThrowIfNull(body);
        return new()
        {
            Side = side,
            Kind = kind,
            MessageId = ids.MessageId,
            RequestId = ids.RequestId,
            ClientId = ids.Client.ToString(),
            ServiceId = ids.Service.ToString(),
            At = _time.GetUtcNow(),
            UserId = ids.UserId,
            HttpStatus = status,
            Head = head,
            Signature = signature,
            Ocsp = ocsp,
            BodyDigest = body.Digest,
            BodyLength = body.Length,
            Body = logBody ? body.Memory : null,
        };
    }

    /// <summary>A response record for an exchange that ended in an error (no signed response exists).</summary>
    public MessageRecord ErrorRecord(RecordSide side, ExchangeIds ids, int status, string code)
    {
        ArgumentNullException.ThrowIfNull(ids);
        return new()
        {
            Side = side,
            Kind = RecordKind.Response,
            MessageId = ids.MessageId,
            RequestId = ids.RequestId,
            ClientId = ids.Client.ToString(),
            ServiceId = ids.Service.ToString(),
            At = _time.GetUtcNow(),
            UserId = ids.UserId,
            HttpStatus = status,
            ErrorCode = code,
            Head = ReadOnlyMemory<byte>.Empty,
            Signature = ReadOnlyMemory<byte>.Empty,
            BodyDigest = EmptyDigest,
            BodyLength = 0,
        };
    }
}
