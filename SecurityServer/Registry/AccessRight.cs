namespace ExchangeGateway.SecurityServer.Registry;

/// <summary>
/// One grant on a service: <paramref name="Subject"/> may call it with <paramref name="Method"/> on paths
/// matching <paramref name="Path"/>. Both absent grant the whole service; an absent method means any
/// method (<c>*</c>) and an absent path any path (<c>/**</c>). They are kept as written so the file
/// round-trips.
/// </summary>
/// <param name="Subject">The subsystem or global group granted.</param>
/// <param name="Method">An HTTP method (case-sensitive, e.g. <c>GET</c>), <c>*</c>, or null for any.</param>
/// <param name="Path">The path pattern, or null for any path.</param>
public sealed record AccessRight(AccessSubject Subject, string? Method = null, PathGlob? Path = null)
{
    /// <summary>True when the right covers <paramref name="method"/> on <paramref name="rawPath"/> (subject not considered).</summary>
    public bool Covers(string method, ReadOnlySpan<char> rawPath) =>
        ServiceEndpoint.MethodMatches(Method, method) && (Path is null || Path.IsMatch(rawPath));
}
