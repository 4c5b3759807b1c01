namespace ExchangeGateway.Common.Crypto.TimeStamping;

/// <summary>Where and how <see cref="TimeStampClient"/> asks a TSA.</summary>
public sealed record TimeStampClientOptions
{
    /// <summary>The default cap on a reply: a token with a short chain is a few KiB.</summary>
    public const int DefaultMaxResponseBytes = 64 * 1024;

    /// <summary>The TSA's HTTP endpoint (RFC 3161 §3.4).</summary>
    public required Uri Endpoint { get; init; }

    /// <summary>How long one request may take, including reading the reply; default 10 s.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Replies larger than this are refused unread; default 64 KiB.</summary>
    public int MaxResponseBytes { get; init; } = DefaultMaxResponseBytes;

    /// <summary>A TSA policy to request, or null for the TSA's default.</summary>
    public string? PolicyOid { get; init; }

    /// <summary>Throws when a value is out of range, so bad settings stop start-up (HOUSE-STYLE habit 5).</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Endpoint);
        if (!Endpoint.IsAbsoluteUri || (Endpoint.Scheme != Uri.UriSchemeHttp && Endpoint.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"The TSA endpoint must be an absolute http(s) URI, not '{Endpoint}'.", nameof(Endpoint));
        }

        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(Timeout, TimeSpan.Zero, nameof(Timeout));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxResponseBytes, 1024, nameof(MaxResponseBytes));
    }
}
