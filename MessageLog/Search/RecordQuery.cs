using ExchangeGateway.MessageLog.Records;

namespace ExchangeGateway.MessageLog.Search;

/// <summary>
/// An auditor's search of the message log: every filter set must match (null means any). Results come in
/// sequence order, oldest first, after <see cref="After"/> (keyset pagination: pass the previous page's
/// <see cref="RecordPage.Next"/>).
/// </summary>
public sealed record RecordQuery
{
    /// <summary>The most records one page may hold.</summary>
    public const int MaxLimit = 1000;

    /// <summary>The page size when none is given.</summary>
    public const int DefaultLimit = 100;

    /// <summary>Records whose <c>at</c> is at or after this instant.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Records whose <c>at</c> is before this instant (exclusive).</summary>
    public DateTimeOffset? To { get; init; }

    /// <summary>The client id, canonical text, compared exactly.</summary>
    public string? ClientId { get; init; }

    /// <summary>The service id, canonical text, compared exactly.</summary>
    public string? ServiceId { get; init; }

    /// <summary>The message id, compared exactly.</summary>
    public string? MessageId { get; init; }

    /// <summary>The exchange's request id (X-Road-Request-Id): the request and response records of one exchange.</summary>
    public Guid? RequestId { get; init; }

    /// <summary>The outcome.</summary>
    public RecordOutcome? Outcome { get; init; }

    /// <summary>Which proxy wrote the record.</summary>
    public RecordSide? Side { get; init; }

    /// <summary>Request or response.</summary>
    public RecordKind? Kind { get; init; }

    /// <summary>Only records with a larger sequence number; 0 to start at the first.</summary>
    public long After { get; init; }

    /// <summary>At most this many records (1 to <see cref="MaxLimit"/>).</summary>
    public int Limit { get; init; } = DefaultLimit;
}
