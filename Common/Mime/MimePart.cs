namespace ExchangeGateway.Common.Mime;

/// <summary>One part of a multipart body, located in the body it came from (nothing copied).</summary>
/// <param name="Headers">The part's header fields in order: names as written, values unfolded and trimmed.</param>
/// <param name="ContentType">The part's <c>Content-Type</c> value as written (trimmed); <c>text/plain</c> when absent (RFC 2045 §5.2).</param>
/// <param name="ContentId">The part's <c>Content-ID</c> without the angle brackets; null when absent.</param>
/// <param name="Range">Where the part's body bytes lie in the whole message body.</param>
public sealed record MimePart(IReadOnlyList<KeyValuePair<string, string>> Headers, string ContentType, string? ContentId, Range Range)
{
    /// <summary>The value of the first header named <paramref name="name"/> (case-insensitive), or null.</summary>
    public string? Header(string name)
    {
        foreach (var h in Headers)
        {
            if (string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase))
            {
                return h.Value;
            }
        }

        return null;
    }
}
