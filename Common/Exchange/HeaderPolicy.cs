using System.Collections.Frozen;

namespace ExchangeGateway.Common.Exchange;

/// <summary>
/// Which HTTP headers cross the gateway (XROAD-COMPAT.md, REST). User headers, <c>Content-Type</c> and
/// <c>Accept</c> pass; hop-by-hop headers, headers that reveal hosts, framing headers and the X-Road
/// headers (they travel as signed head fields) do not. Values holding CR, LF or NUL are never forwarded:
/// <c>HttpClient.TryAddWithoutValidation</c> would pass them on and split the header block upstream
/// (RELIABILITY.md row 23).
/// </summary>
public static class HeaderPolicy
{
    /// <summary>The prefix of X-Road's own headers; the gateway sets these, a peer's values are never copied.</summary>
    public const string XRoadPrefix = "x-road-";

    /// <summary>At most this many headers are carried in one head.</summary>
    public const int MaxHeaders = 100;

    private static readonly FrozenSet<string> Dropped = new[]
    {
        // RFC 9110 §7.6.1 hop-by-hop, plus the legacy proxy ones.
        "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "proxy-connection", "te", "trailer",
        "transfer-encoding", "upgrade",

        // Host-revealing: the provider must not learn the consumer's internal names, nor the reverse.
        "host", "user-agent", "server", "via", "forwarded", "x-forwarded-for", "x-forwarded-host", "x-forwarded-proto",
        "x-real-ip",

        // Framing is redone on every hop.
        "content-length", "expect",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Whether a header named <paramref name="name"/> is carried across. <paramref name="connectionTokens"/>
    /// are the names listed in the message's own <c>Connection</c> header (also hop-by-hop, RFC 9110 §7.6.1).
    /// </summary>
    public static bool IsForwarded(string name, IReadOnlySet<string>? connectionTokens = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0 || name[0] == ':' || Dropped.Contains(name))
        {
            return false;
        }

        if (name.StartsWith(XRoadPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return connectionTokens is null || !connectionTokens.Contains(name);
    }

    /// <summary>True when <paramref name="value"/> holds no CR, LF, NUL or other control character except HTAB.</summary>
    public static bool IsSafeValue(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        foreach (var c in value)
        {
            if ((c < 0x20 && c != '\t') || c == 0x7F)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>True when <paramref name="name"/> is an RFC 9110 token (what a header name must be).</summary>
    public static bool IsToken(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0)
        {
            return false;
        }

        foreach (var c in name)
        {
            var ok = c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9'
                || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal);
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The lower-cased names listed in a <c>Connection</c> header value.</summary>
    public static IReadOnlySet<string> ConnectionTokens(IEnumerable<string?> connectionValues)
    {
        ArgumentNullException.ThrowIfNull(connectionValues);
        var set = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var value in connectionValues)
        {
            if (value is null)
            {
                continue;
            }

            foreach (var token in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                set.Add(token);
            }
        }

        return set;
    }
}
