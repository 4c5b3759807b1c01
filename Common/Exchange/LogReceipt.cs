using System.Globalization;
using ExchangeGateway.Common.Identifiers;
using ExchangeGateway.Common.Results;

namespace ExchangeGateway.Common.Exchange;

/// <summary>
/// The provider's security server's log receipt, carried in the signed response head (bilateral evidence,
/// issue #7): which server logged the request, under which sequence number of its message log, and by when
/// a signed checkpoint covering that record will exist. Because the head is signed by the provider member
/// and stored in the client side's response record, the client side holds the provider's own statement of
/// where to find the request in the provider's log.
/// </summary>
/// <remarks>
/// In the head it is the object <c>"logReceipt":{"server":…,"sequence":…,"promisedBy":…}</c> (members in
/// that order) right after <c>"headers"</c> (HeadCodec). <see cref="PromisedBy"/> is written as UTC with six
/// fractional digits, <c>yyyy-MM-ddTHH:mm:ss.ffffffZ</c> (<see cref="TimeFormat"/>), exactly like a checkpoint's time.
/// </remarks>
public sealed record LogReceipt
{
    /// <summary>
    /// The HTTP request header the client-side server sends with an envelope to say it reads receipts
    /// (value <see cref="AcceptValue"/>). A provider adds a receipt only when it is present, so an older
    /// client-side server, whose strict head reader knows no <c>logReceipt</c>, still gets heads it accepts.
    /// </summary>
    public const string AcceptHeader = "Xgw-Accept-Log-Receipt";

    /// <summary>The value of <see cref="AcceptHeader"/>: receipt format 1.</summary>
    public const string AcceptValue = "1";

    /// <summary>The REST response header that shows the receipt to the client information system.</summary>
    public const string ResponseHeader = "X-Road-Xgw-Log-Receipt";

    /// <summary>The text form of <see cref="PromisedBy"/>, as a .NET custom format.</summary>
    public const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'";

    /// <summary>Creates a receipt; <paramref name="promisedBy"/> is kept as UTC truncated to microseconds.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="sequence"/> is below 1.</exception>
    public LogReceipt(SecurityServerId server, long sequence, DateTimeOffset promisedBy)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentOutOfRangeException.ThrowIfLessThan(sequence, 1);
        Server = server;
        Sequence = sequence;
        var utc = promisedBy.ToUniversalTime();
        PromisedBy = new DateTimeOffset(utc.Ticks - (utc.Ticks % 10), TimeSpan.Zero);
    }

    /// <summary>The provider's security server, whose message log holds the request record.</summary>
    public SecurityServerId Server { get; }

    /// <summary>The sequence number of the provider side's request record in <see cref="Server"/>'s message log.</summary>
    public long Sequence { get; }

    /// <summary>When a signed checkpoint covering <see cref="Sequence"/> will exist (UTC, microseconds).</summary>
    public DateTimeOffset PromisedBy { get; }

    /// <summary><see cref="PromisedBy"/> in its one text form.</summary>
    public string PromisedByText => PromisedBy.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);

    /// <summary>
    /// The value of <see cref="ResponseHeader"/>: <c>server=DEV/ORG/70000002/ss2; sequence=17; promisedBy=2026-01-01T00:00:12.000000Z</c>
    /// (identifiers never contain <c>;</c> or spaces).
    /// </summary>
    public string ToHeaderValue() =>
        string.Create(CultureInfo.InvariantCulture, $"server={Server}; sequence={Sequence}; promisedBy={PromisedByText}");

    /// <summary>Reads <see cref="PromisedBy"/> text: exactly <see cref="TimeFormat"/>, nothing else.</summary>
    public static ParseResult<DateTimeOffset> ParseTime(string? text) =>
        text is not null
            && DateTime.TryParseExact(text, TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var parsed)
            && string.Equals(parsed.ToString(TimeFormat, CultureInfo.InvariantCulture), text, StringComparison.Ordinal)
            ? ParseResult<DateTimeOffset>.Ok(new DateTimeOffset(parsed, TimeSpan.Zero))
            : ParseResult<DateTimeOffset>.Fail("invalid_receipt", "promisedBy must be UTC in the form yyyy-MM-ddTHH:mm:ss.ffffffZ.");
}
