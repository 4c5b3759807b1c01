using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing.Patterns;

namespace ExchangeGateway.SecurityServer.Admin;

/// <summary>
/// Reads route parameters from the raw request target, not from the decoded route values: Kestrel decodes
/// everything but <c>%2F</c> before routing, so a route value would be decoded twice. A parameter is one
/// raw path segment, percent-decoded exactly once here (<c>DEV%2FGOV%2F70000001%2Fconsumer</c> is the
/// client <c>DEV/GOV/70000001/consumer</c>); the caller then parses it with the identifier rules.
/// </summary>
internal static class AdminPath
{
    internal static (string? Value, AdminFailure? Failure) Read(HttpContext context, string parameter)
    {
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? string.Empty;
        var query = target.IndexOf('?', StringComparison.Ordinal);
        var path = query < 0 ? target : target[..query];
        if (!path.StartsWith('/') || context.GetEndpoint() is not RouteEndpoint endpoint)
        {
            return (null, new AdminFailure(AdminFailureKind.InvalidRequest, "The request target must be an absolute path."));
        }

        var segments = path[1..].Split('/');
        var pattern = endpoint.RoutePattern.PathSegments;

        // Dot segments are resolved before routing, which would shift raw segments against the pattern.
        if (segments.Length != pattern.Count || segments.Any(s => s.Length == 0 || s is "." or ".." || Decode(s) is "." or ".."))
        {
            return (null, new AdminFailure(AdminFailureKind.InvalidRequest, "The request path must not contain dot segments or empty segments."));
        }

        for (var i = 0; i < pattern.Count; i++)
        {
            if (pattern[i].Parts.Any(p => p is RoutePatternParameterPart param && param.Name == parameter))
            {
                var value = Decode(segments[i]);
                return value is null
                    ? (null, new AdminFailure(AdminFailureKind.InvalidIdentifier, $"The path parameter {parameter} has malformed percent-encoding."))
                    : (value, null);
            }
        }

        throw new InvalidOperationException($"Route has no parameter {parameter}.");
    }

    // One decoding; null for malformed escapes (Uri.UnescapeDataString would keep them silently).
    private static string? Decode(string raw)
    {
        for (var i = raw.IndexOf('%', StringComparison.Ordinal); i >= 0; i = raw.IndexOf('%', i + 1))
        {
            if (i + 2 >= raw.Length || !Uri.IsHexDigit(raw[i + 1]) || !Uri.IsHexDigit(raw[i + 2]))
            {
                return null;
            }
        }

        return Uri.UnescapeDataString(raw);
    }
}
