namespace ExchangeGateway.SecurityServer.Registry;

/// <summary>
/// An operation a service offers, as listed by the metaservices (<c>allowedMethods</c>, <c>listMethods</c>):
/// an HTTP method or <c>*</c>, and a path pattern. Endpoints describe; access rights grant.
/// </summary>
/// <param name="Method">An HTTP method (case-sensitive, e.g. <c>GET</c>) or <c>*</c> for any.</param>
/// <param name="Path">The path pattern.</param>
public sealed record ServiceEndpoint(string Method, PathGlob Path)
{
    /// <summary>The method wildcard.</summary>
    public const string AnyMethod = "*";

    /// <summary>True when <paramref name="pattern"/> (null or <c>*</c> for any) admits <paramref name="method"/>; ordinal.</summary>
    public static bool MethodMatches(string? pattern, string method) =>
        pattern is null or AnyMethod || string.Equals(pattern, method, StringComparison.Ordinal);
}
