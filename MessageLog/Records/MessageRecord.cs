using System.Security.Cryptography;

namespace ExchangeGateway.MessageLog.Records;

/// <summary>
/// One request or response as the message log stores it: who exchanged what, when, the signed head and its
/// signature, the stapled OCSP response, and the body or only its digest. Every field except
/// <see cref="Body"/> is covered by the record's leaf hash (<see cref="RecordEncoding"/>), so a body can
/// be erased later while the record still verifies against its <see cref="BodyDigest"/>.
/// </summary>
public sealed record MessageRecord
{
    /// <summary>The longest <see cref="MessageId"/> accepted, in UTF-16 characters (X-Road's limit).</summary>
    public const int MaxMessageIdLength = 255;

    /// <summary>Which proxy wrote the record.</summary>
    public required RecordSide Side { get; init; }

    /// <summary>Request or response.</summary>
    public required RecordKind Kind { get; init; }

    /// <summary>The <c>X-Road-Id</c> text, 1 to <see cref="MaxMessageIdLength"/> characters.</summary>
    public required string MessageId { get; init; }

    /// <summary>One id per request/response pair, shared by both records of the pair.</summary>
    public required Guid RequestId { get; init; }

    /// <summary>The client's canonical identifier text.</summary>
    public required string ClientId { get; init; }

    /// <summary>The service's canonical identifier text.</summary>
    public required string ServiceId { get; init; }

    /// <summary>
    /// When the proxy handled the message. Stored with microsecond precision in UTC: a record read back
    /// carries the value truncated to whole microseconds.
    /// </summary>
    public required DateTimeOffset At { get; init; }

    /// <summary>The <c>X-Road-UserId</c>, when the client sent one.</summary>
    public string? UserId { get; init; }

    /// <summary>The HTTP status of a response; null for requests.</summary>
    public int? HttpStatus { get; init; }

    /// <summary>The error code when the exchange failed (for example <c>server.service_failed</c>).</summary>
    public string? ErrorCode { get; init; }

    /// <summary>The canonical head bytes that were signed.</summary>
    public required ReadOnlyMemory<byte> Head { get; init; }

    /// <summary>The signature blob over the head.</summary>
    public required ReadOnlyMemory<byte> Signature { get; init; }

    /// <summary>The stapled OCSP response (DER) for the signer's certificate; may be empty.</summary>
    public ReadOnlyMemory<byte> Ocsp { get; init; }

    /// <summary>SHA-512 of the body: 64 bytes, also when the body itself is not logged.</summary>
    public required ReadOnlyMemory<byte> BodyDigest { get; init; }

    /// <summary>The body's length in bytes.</summary>
    public required long BodyLength { get; init; }

    /// <summary>The body, or null when body logging is off for the service (only <see cref="BodyDigest"/> is kept).</summary>
    /// <remarks>
    /// Beware C#: a null <c>byte[]</c> converts to an <em>empty</em> memory, not to null; write
    /// <c>(ReadOnlyMemory&lt;byte&gt;?)null</c>. <see cref="Validate"/> catches the mistake when the body is not empty.
    /// </remarks>
    public ReadOnlyMemory<byte>? Body { get; init; }

    /// <summary>
    /// Throws when a field breaks the rules above: a caller bug, not an expected failure. The digest is
    /// not recomputed here (the proxy already hashed the body while streaming it); the verifier checks it.
    /// </summary>
    /// <exception cref="ArgumentException">A field is missing, too long or inconsistent.</exception>
    public void Validate()
    {
        if (!Enum.IsDefined(Side))
        {
            throw new ArgumentException($"Unknown side {(int)Side}.", nameof(Side));
        }

        if (!Enum.IsDefined(Kind))
        {
            throw new ArgumentException($"Unknown kind {(int)Kind}.", nameof(Kind));
        }

        ArgumentException.ThrowIfNullOrEmpty(MessageId, nameof(MessageId));
        if (MessageId.Length > MaxMessageIdLength)
        {
            throw new ArgumentException($"A message id is at most {MaxMessageIdLength} characters, not {MessageId.Length}.", nameof(MessageId));
        }

        ArgumentException.ThrowIfNullOrEmpty(ClientId, nameof(ClientId));
        ArgumentException.ThrowIfNullOrEmpty(ServiceId, nameof(ServiceId));
        if (BodyDigest.Length != SHA512.HashSizeInBytes)
        {
            throw new ArgumentException($"The body digest is SHA-512 ({SHA512.HashSizeInBytes} bytes), not {BodyDigest.Length} bytes.", nameof(BodyDigest));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(BodyLength, nameof(BodyLength));
        if (Body is { } body && body.Length != BodyLength)
        {
            throw new ArgumentException($"The body is {body.Length} bytes but BodyLength says {BodyLength}.", nameof(Body));
        }
    }
}
