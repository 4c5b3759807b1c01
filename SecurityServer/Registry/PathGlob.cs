using ExchangeGateway.Common.Errors;
using ExchangeGateway.Common.Results;

namespace ExchangeGateway.SecurityServer.Registry;

/// <summary>
/// A path pattern of an endpoint or access right, e.g. <c>/**</c>, <c>/pets/*</c> or <c>/files/*.json</c>:
/// <c>**</c> (a whole segment) matches any number of segments, including none; <c>*</c> matches any
/// characters inside one segment. Everything else matches itself, ordinally (no case folding, no
/// decoding): patterns are compared with the raw request path after <see cref="RequestPathRules"/> has
/// accepted it.
/// </summary>
/// <remarks>
/// A segment pattern never matches an empty path segment, so <c>/pets/*</c> does not match
/// <c>/pets/</c> (the collection is not an item). Matching is linear in practice: greedy with one
/// backtracking point per level, the classic wildcard algorithm, so a pattern with many <c>**</c> cannot
/// be made to take exponential time.
/// </remarks>
public sealed class PathGlob : IEquatable<PathGlob>
{
    /// <summary>The longest pattern accepted.</summary>
    public const int MaxLength = 1024;

    private const string AnySegments = "**";

    private readonly string[] _segments;

    private PathGlob(string text, string[] segments)
    {
        Text = text;
        _segments = segments;
    }

    /// <summary><c>/**</c>: every path.</summary>
    public static PathGlob AnyPath { get; } = Parse("/**");

    /// <summary>The pattern as written, e.g. <c>/pets/*</c>.</summary>
    public string Text { get; }

    /// <summary>Parses a pattern; throws <see cref="FormatException"/> when invalid. For trusted input.</summary>
    public static PathGlob Parse(string text) => TryParse(text).GetValueOrThrow();

    /// <summary>
    /// Parses a pattern: it starts with <c>/</c>; its segments are non-empty (a trailing <c>/</c> is
    /// allowed), never <c>.</c> or <c>..</c>, hold only RFC 3986 path characters (percent-encoding
    /// included, compared literally), and use <c>**</c> only as a whole segment.
    /// </summary>
    public static ParseResult<PathGlob> TryParse(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return Fail("the path pattern is empty");
        }

        if (text.Length > MaxLength)
        {
            return Fail($"the path pattern is longer than {MaxLength} characters");
        }

        if (text[0] != '/')
        {
            return Fail("the path pattern must start with '/'");
        }

        var segments = text[1..].Split('/');
        for (var i = 0; i < segments.Length; i++)
        {
            var segment = segments[i];
            var position = i + 1;
            if (segment.Length == 0)
            {
                if (i == segments.Length - 1)
                {
                    continue;
                }

                return Fail($"segment {position} of the path pattern is empty ('//')");
            }

            if (segment is "." or "..")
            {
                return Fail($"segment {position} of the path pattern is a dot segment");
            }

            if (segment.Contains(AnySegments, StringComparison.Ordinal) && segment != AnySegments)
            {
                return Fail($"segment {position} of the path pattern uses '**' inside a segment; '**' must be a whole segment");
            }

            foreach (var c in segment)
            {
                if (!IsPatternChar(c))
                {
                    return Fail($"segment {position} of the path pattern contains U+{(int)c:X4}, which is not a path character");
                }
            }

            var problem = RequestPathRules.Check("/" + segment.Replace('*', 'x'));
            if (problem is not null)
            {
                return Fail($"segment {position} of the path pattern could never match an accepted request path ({problem})");
            }
        }

        return ParseResult<PathGlob>.Ok(new PathGlob(text, segments));
    }

    /// <summary>
    /// True when <paramref name="rawPath"/> matches. The path must already have passed
    /// <see cref="RequestPathRules.Check"/>; an empty path is read as <c>/</c>.
    /// </summary>
    public bool IsMatch(ReadOnlySpan<char> rawPath)
    {
        if (rawPath.IsEmpty)
        {
            rawPath = "/";
        }

        if (rawPath[0] != '/')
        {
            return false;
        }

        // Split into at most a bounded number of ranges without allocating per segment.
        var pathText = rawPath[1..];
        var count = pathText.Count('/') + 1;
        Span<Range> ranges = count <= 64 ? stackalloc Range[count] : new Range[count];
        pathText.Split(ranges, '/');
        return MatchSegments(pathText, ranges);
    }

    /// <inheritdoc />
    public bool Equals(PathGlob? other) => other is not null && string.Equals(Text, other.Text, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as PathGlob);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Text);

    /// <summary>The pattern as written.</summary>
    public override string ToString() => Text;

    private bool MatchSegments(ReadOnlySpan<char> path, ReadOnlySpan<Range> ranges)
    {
        var p = 0;
        var s = 0;
        var starP = -1;
        var starS = 0;
        while (s < ranges.Length)
        {
            if (p < _segments.Length && _segments[p] == AnySegments)
            {
                starP = p++;
                starS = s;
                continue;
            }

            if (p < _segments.Length && SegmentMatches(_segments[p], path[ranges[s]]))
            {
                p++;
                s++;
                continue;
            }

            if (starP < 0)
            {
                return false;
            }

            // Let the last '**' swallow one more segment and retry.
            p = starP + 1;
            s = ++starS;
        }

        while (p < _segments.Length && _segments[p] == AnySegments)
        {
            p++;
        }

        return p == _segments.Length;
    }

    private static bool SegmentMatches(string pattern, ReadOnlySpan<char> segment)
    {
        if (pattern.Length == 0)
        {
            // The trailing empty pattern segment of "/pets/" matches only the trailing empty segment.
            return segment.IsEmpty;
        }

        if (segment.IsEmpty)
        {
            return false;
        }

        var p = 0;
        var s = 0;
        var starP = -1;
        var starS = 0;
        while (s < segment.Length)
        {
            if (p < pattern.Length && pattern[p] == '*')
            {
                starP = p++;
                starS = s;
                continue;
            }

            if (p < pattern.Length && pattern[p] == segment[s])
            {
                p++;
                s++;
                continue;
            }

            if (starP < 0)
            {
                return false;
            }

            p = starP + 1;
            s = ++starS;
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }

    private static bool IsPatternChar(char c) =>
        char.IsAsciiLetterOrDigit(c)
        || c is '-' or '.' or '_' or '~' or '%' or '!' or '$' or '&' or '\'' or '(' or ')' or '*' or '+' or ',' or ';' or '=' or ':' or '@';

    private static ParseResult<PathGlob> Fail(string message) =>
        ParseResult<PathGlob>.Fail(ErrorCode.Server(ErrorCatalog.MalformedServerConf).Value, message);
}
