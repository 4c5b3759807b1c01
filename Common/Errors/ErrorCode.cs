using System.Text;
using ExchangeGateway.Common.Results;

namespace ExchangeGateway.Common.Errors;

/// <summary>
/// A stable, hierarchical error code such as <c>server.serverproxy.access_denied</c>: a family
/// (<c>client</c>, <c>server.clientproxy</c>, <c>server.serverproxy</c>, <c>server</c>) and a snake_case
/// suffix of one or more dot-separated segments (<c>service_failed.http_error</c>). Always emitted in
/// snake_case; X-Road's older CamelCase spelling is accepted when parsing.
/// </summary>
public sealed record ErrorCode
{
    /// <summary>Codes longer than this are rejected by <see cref="TryParse"/>; real codes are far shorter.</summary>
    public const int MaxLength = 256;

    private ErrorCode(ErrorFamily family, string suffix)
    {
        Family = family;
        Suffix = suffix;
        Value = PrefixOf(family) + "." + suffix;
    }

    /// <summary>Who is to blame; decides the HTTP status (see <see cref="ErrorHttpStatus"/>).</summary>
    public ErrorFamily Family { get; }

    /// <summary>The snake_case part after the family, e.g. <c>access_denied</c> or <c>service_failed.http_error</c>.</summary>
    public string Suffix { get; }

    /// <summary>The full code, e.g. <c>server.serverproxy.access_denied</c>; also the <c>X-Road-Error</c> header value.</summary>
    public string Value { get; }

    /// <summary>A <c>client.*</c> code: the calling information system did something wrong.</summary>
    public static ErrorCode Client(ErrorCatalogEntry entry) => Create(ErrorFamily.Client, entry);

    /// <summary>A <c>server.clientproxy.*</c> code: the consumer's security server failed.</summary>
    public static ErrorCode ClientProxy(ErrorCatalogEntry entry) => Create(ErrorFamily.ServerClientProxy, entry);

    /// <summary>A <c>server.serverproxy.*</c> code: the provider's security server failed or refused.</summary>
    public static ErrorCode ServerProxy(ErrorCatalogEntry entry) => Create(ErrorFamily.ServerServerProxy, entry);

    /// <summary>A plain <c>server.*</c> code for failures not tied to one proxy role.</summary>
    public static ErrorCode Server(ErrorCatalogEntry entry) => Create(ErrorFamily.Server, entry);

    /// <summary>
    /// A code from a catalogue entry. Throws when the catalogue does not allow the entry in
    /// <paramref name="family"/>: that is a programming error, not bad input.
    /// </summary>
    public static ErrorCode Create(ErrorFamily family, ErrorCatalogEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (!entry.AllowsFamily(family))
        {
            throw new ArgumentException(
                $"The catalogue does not allow '{entry.Suffix}' in family '{PrefixOf(family)}'.", nameof(entry));
        }

        return new ErrorCode(family, entry.Suffix);
    }

    /// <summary>
    /// This code with a further segment appended, the way X-Road qualifies a failure with its cause
    /// (<c>server.serverproxy.service_failed</c> + <c>http_error</c>).
    /// </summary>
    public ErrorCode WithQualifier(ErrorCatalogEntry qualifier)
    {
        ArgumentNullException.ThrowIfNull(qualifier);
        return new ErrorCode(Family, Suffix + "." + qualifier.Suffix);
    }

    /// <summary>Parses trusted text (configuration, tests); throws <see cref="FormatException"/> when invalid.</summary>
    public static ErrorCode Parse(string text) => TryParse(text).GetValueOrThrow();

    /// <summary>
    /// Parses a code in snake_case (<c>server.serverproxy.access_denied</c>) or X-Road's CamelCase
    /// (<c>Server.ServerProxy.AccessDenied</c>, <c>Client.InvalidClientIdentifier</c>) and normalises it
    /// to snake_case. The suffix need not be in <see cref="ErrorCatalog"/>: a peer on a newer X-Road
    /// version may send codes we do not know, and dropping them would lose the diagnosis. Use
    /// <see cref="ErrorCatalog.IsKnown"/> to ask. Nothing is trimmed or case-folded beyond the
    /// CamelCase conversion.
    /// </summary>
    /// <returns>The code, or a failure with code <c>server.invalid_response</c> (codes are read from peers' responses).</returns>
    public static ParseResult<ErrorCode> TryParse(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return Fail("The error code is empty.");
        }

        if (text.Length > MaxLength)
        {
            return Fail($"The error code is longer than {MaxLength} characters.");
        }

        var segments = text.Split('.');
        int next;
        ErrorFamily family;
        if (segments[0] is "client" or "Client")
        {
            family = ErrorFamily.Client;
            next = 1;
        }
        else if (segments[0] is "server" or "Server")
        {
            (family, next) = segments.Length > 1 ? segments[1] switch
            {
                "clientproxy" or "ClientProxy" => (ErrorFamily.ServerClientProxy, 2),
                "serverproxy" or "ServerProxy" => (ErrorFamily.ServerServerProxy, 2),
                _ => (ErrorFamily.Server, 1),
            } : (ErrorFamily.Server, 1);
        }
        else
        {
            return Fail("The error code does not start with a known family (client, server.clientproxy, server.serverproxy, server).");
        }

        if (next >= segments.Length)
        {
            return Fail("The error code has a family but no suffix.");
        }

        var suffix = new StringBuilder(text.Length + 8);
        for (var i = next; i < segments.Length; i++)
        {
            var segment = segments[i];
            if (i > next)
            {
                suffix.Append('.');
            }

            if (IsSnakeSegment(segment))
            {
                suffix.Append(segment);
            }
            else if (IsCamelSegment(segment))
            {
                AppendSnake(suffix, segment);
            }
            else
            {
                // The index, not the text: the input came from a peer and may carry anything.
                return Fail($"Segment {i + 1} of the error code is neither snake_case nor CamelCase.");
            }
        }

        return ParseResult<ErrorCode>.Ok(new ErrorCode(family, suffix.ToString()));
    }

    /// <inheritdoc />
    public override string ToString() => Value;

    internal static string PrefixOf(ErrorFamily family) => family switch
    {
        ErrorFamily.Client => "client",
        ErrorFamily.ServerClientProxy => "server.clientproxy",
        ErrorFamily.ServerServerProxy => "server.serverproxy",
        ErrorFamily.Server => "server",
        _ => throw new ArgumentOutOfRangeException(nameof(family), family, "Unknown error family."),
    };

    /// <summary><c>[a-z][a-z0-9]*(_[a-z0-9]+)*</c>.</summary>
    internal static bool IsSnakeSegment(string segment)
    {
        if (segment.Length == 0 || !char.IsAsciiLetterLower(segment[0]) || segment[^1] == '_')
        {
            return false;
        }

        for (var i = 1; i < segment.Length; i++)
        {
            var c = segment[i];
            if (c == '_')
            {
                if (segment[i - 1] == '_')
                {
                    return false;
                }
            }
            else if (!char.IsAsciiLetterLower(c) && !char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary><c>[A-Z][A-Za-z0-9]*</c>, X-Road's spelling of a segment.</summary>
    private static bool IsCamelSegment(string segment)
    {
        if (segment.Length == 0 || !char.IsAsciiLetterUpper(segment[0]))
        {
            return false;
        }

        foreach (var c in segment)
        {
            if (!char.IsAsciiLetterOrDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    // A word starts at an upper-case letter that follows a lower-case letter or digit, or that ends a run
    // of capitals (so HSMNonOperational -> hsm_non_operational, IOError -> io_error).
    private static void AppendSnake(StringBuilder sb, string camel)
    {
        for (var i = 0; i < camel.Length; i++)
        {
            var c = camel[i];
            if (char.IsAsciiLetterUpper(c) && i > 0)
            {
                var previous = camel[i - 1];
                var nextIsLower = i + 1 < camel.Length && char.IsAsciiLetterLower(camel[i + 1]);
                if (!char.IsAsciiLetterUpper(previous) || nextIsLower)
                {
                    sb.Append('_');
                }
            }

            sb.Append(char.ToLowerInvariant(c));
        }
    }

    private static ParseResult<ErrorCode> Fail(string message) =>
        ParseResult<ErrorCode>.Fail(ParseFailureCode, message);

    // Built by hand, not through Server(ErrorCatalog.InvalidResponse): ErrorCatalog's initialisers call
    // into this type, and a static field here that reads the catalogue would make the two cyclic.
    private const string ParseFailureCode = "server.invalid_response";
}
