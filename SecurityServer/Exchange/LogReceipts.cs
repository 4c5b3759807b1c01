using ExchangeGateway.Common.Exchange;
using ExchangeGateway.Common.Identifiers;

namespace ExchangeGateway.SecurityServer.Exchange;

/// <summary>
/// The provider side's log receipts (<see cref="LogReceipt"/>): when the client side asks for one, the
/// response head names this server, the sequence of the request record it logged before forwarding, and a
/// time by which a signed checkpoint covering that record will exist.
/// </summary>
/// <remarks>
/// <c>promisedBy = now + 2 × CheckpointInterval + StampingAllowance</c>. The integrator makes a checkpoint
/// every interval when the tree grew, over the records committed when its pass starts: a record committed
/// just after a pass began is covered by the next one, one interval later, and that pass may itself start
/// late by one interval plus the time-stamp request of the previous pass, which waits at most the TSA timeout
/// (<see cref="StampingAllowance"/>, also the integrator's <c>TsaTimeout</c>). The checkpoint is then signed;
/// its time-stamp follows within one more TSA round trip while a TSA answers (and past the acceptable failure
/// period without one, the server refuses new requests, so no receipt is given that cannot be honoured
/// for long). A server that stops, or whose signing key becomes unavailable, cannot keep the promise; an
/// auditor comparing the two logs sees that no checkpoint covers the sequence.
/// </remarks>
public static class LogReceipts
{
    /// <summary>The time allowed for one time-stamping attempt of the integrator (its TSA timeout).</summary>
    public static readonly TimeSpan StampingAllowance = TimeSpan.FromSeconds(10);

    /// <summary>The promise for a record logged at <paramref name="now"/>.</summary>
    public static DateTimeOffset PromisedBy(DateTimeOffset now, TimeSpan checkpointInterval) =>
        now + (2 * checkpointInterval) + StampingAllowance;

    /// <summary>True when the envelope's sender asked for a receipt (<see cref="LogReceipt.AcceptHeader"/>).</summary>
    public static bool Requested(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Headers.TryGetValue(LogReceipt.AcceptHeader, out var values)
            && values.Count == 1
            && string.Equals(values[0], LogReceipt.AcceptValue, StringComparison.Ordinal);
    }

    /// <summary>The receipt for the request record <paramref name="sequence"/> when the sender asked for one, else null.</summary>
    public static LogReceipt? For(HttpRequest request, SecurityServerId server, long sequence, DateTimeOffset now, TimeSpan checkpointInterval) =>
        Requested(request) ? new LogReceipt(server, sequence, PromisedBy(now, checkpointInterval)) : null;
}
