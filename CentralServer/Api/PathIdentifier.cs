using ExchangeGateway.CentralServer.Errors;
using ExchangeGateway.Common.Results;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing.Patterns;

namespace ExchangeGateway.CentralServer.Api;

/// <summary>
/// Reads an identifier from the raw request target, not from the decoded route value: Kestrel decodes
/// everything but <c>%2F</c> before routing, so a route value would be decoded twice (<c>%252F</c> would
/// become a separator). An identifier is one path segment holding its percent-encoded canonical text,
/// e.g. <c>EE%2FGOV%2F70000001</c>; it is decoded exactly once and parsed with the <c>Common</c> parser.
/// </summary>
internal static class PathIdentifier
{
    internal static Result<T> Read<T>(HttpContext context, string parameter, Func<string?, ParseResult<T>> parse)
        where T : notnull
    {
        var raw = RawSegment(context, parameter);
        if (!raw.Success)
        {
            return raw.Failure;
        }

        var parsed = parse(Uri.UnescapeDataString(raw.Value!));
        return parsed.Success ? parsed.Value : Failure.InvalidIdentifier(parsed.Message!);
    }

    /// <summary>One identifier part (e.g. a member class code), decoded once and checked with the identifier rules.</summary>
    internal static Result<string> ReadPart(HttpContext context, string parameter, string partName)
    {
        var raw = RawSegment(context, parameter);
        if (!raw.Success)
        {
            return raw.Failure;
        }

        var value = Uri.UnescapeDataString(raw.Value!);
        return Registration.RegistryRules.IdentifierPart(value, partName) is { } invalid ? invalid : value;
    }

    /// <summary>A plain path segment (hash, key id) decoded once; only [0-9a-zA-Z] survive, anything else is refused.</summary>
    internal static Result<string> ReadToken(HttpContext context, string parameter)
    {
        var raw = RawSegment(context, parameter);
        if (!raw.Success)
        {
            return raw.Failure;
        }

        var value = raw.Value!;
        return value.Length is > 0 and <= 128 && value.All(char.IsAsciiLetterOrDigit)
            ? value
            : Failure.Invalid($"The path parameter {parameter} must be letters and digits only.");
    }

    private static Result<string> RawSegment(HttpContext context, string parameter)
    {
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? string.Empty;
        var query = target.IndexOf('?', StringComparison.Ordinal);
        var path = query < 0 ? target : target[..query];
        if (!path.StartsWith('/') || context.GetEndpoint() is not RouteEndpoint endpoint)
        {
            return Failure.Invalid("The request target must be an absolute path.");
        }

        var segments = path[1..].Split('/');
        var pattern = endpoint.RoutePattern.PathSegments;

        // Dot segments are resolved before routing, which would shift raw segments against the pattern.
        if (segments.Length != pattern.Count || segments.Any(s => s is "." or ".." || Uri.UnescapeDataString(s) is "." or ".."))
        {
            return Failure.Invalid("The request path must not contain dot segments or empty segments.");
        }

        for (var i = 0; i < pattern.Count; i++)
        {
            if (pattern[i].Parts.Any(p => p is RoutePatternParameterPart param && param.Name == parameter))
            {
                return segments[i];
            }
        }

        throw new InvalidOperationException($"Route has no parameter {parameter}.");
    }
}
