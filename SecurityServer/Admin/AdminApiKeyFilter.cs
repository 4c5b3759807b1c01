using System.Net;
using Microsoft.Extensions.Primitives;

namespace ExchangeGateway.SecurityServer.Admin;

/// <summary>
/// Guards every admin endpoint, in this order: an API key must authenticate (401), key management must
/// come from loopback (403 <c>auth.loopback_only</c>), and the key's roles must grant the endpoint's
/// <see cref="AdminAccess"/> permission (403 <c>auth.forbidden</c>). An endpoint without
/// <see cref="AdminAccess"/> is refused: forgetting to declare a permission fails closed.
/// </summary>
internal sealed class AdminApiKeyFilter(AdminApiKeyStore keys, ILogger<AdminApiKeyFilter> log) : IEndpointFilter
{
    /// <summary>The <c>Authorization</c> scheme, X-Road style: <c>Authorization: X-Api-Key {key}</c>.</summary>
    internal const string Scheme = "X-Api-Key";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var remote = http.Connection.RemoteIpAddress;
        var presented = ReadKey(http.Request.Headers);
        var key = presented is null ? null : keys.Authenticate(presented);
        if (key is null)
        {
            AdminLog.Unauthenticated(log, presented is null ? "no key" : "unknown, malformed or revoked key", remote?.ToString() ?? "-");
            http.Response.Headers.WWWAuthenticate = $"{Scheme} realm=\"security-server\"";
            return new AdminFailure(AdminFailureKind.Unauthenticated, $"Send a valid API key: 'Authorization: {Scheme} <key>'.").ToResult();
        }

        var access = http.GetEndpoint()?.Metadata.GetMetadata<AdminAccess>();
        if (access is null)
        {
            return new AdminFailure(AdminFailureKind.Forbidden, "This endpoint declares no permission.").ToResult();
        }

        if (access.LoopbackOnly && (remote is null || !IPAddress.IsLoopback(remote)))
        {
            AdminLog.LoopbackOnly(log, key.Id, access.Action, remote?.ToString() ?? "-");
            return new AdminFailure(AdminFailureKind.LoopbackOnly, "Key management is accepted from loopback addresses only.").ToResult();
        }

        if (!AdminRoles.Grants(key.Roles, access.Permission))
        {
            AdminLog.Forbidden(log, key.Id, access.Action);
            return new AdminFailure(AdminFailureKind.Forbidden, $"The key's roles do not allow {access.Action}.").ToResult();
        }

        http.Features.Set(new AdminCaller(key));
        return await next(context).ConfigureAwait(false);
    }

    /// <summary>The key from exactly one <c>Authorization: X-Api-Key {key}</c> header; null when absent, repeated or of another scheme.</summary>
    internal static string? ReadKey(IHeaderDictionary headers)
    {
        StringValues authorization = headers.Authorization;
        if (authorization.Count != 1)
        {
            return null;
        }

        var value = authorization[0] ?? string.Empty;
        if (!value.StartsWith(Scheme + " ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var key = value[(Scheme.Length + 1)..].Trim();
        return key.Length == 0 ? null : key;
    }
}
