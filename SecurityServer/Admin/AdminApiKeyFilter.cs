using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Primitives;

namespace ExchangeGateway.SecurityServer.Admin;

/// <summary>
/// Guards every admin endpoint, in this order: an API key must authenticate (401 <c>admin.unauthorized</c>),
/// the key must be within its rate (429 <c>admin.rate_limited</c> with <c>Retry-After</c>), a loopback-only
/// endpoint must be called from loopback (403 <c>admin.loopback_only</c>), and the key's roles must grant the
/// endpoint's <see cref="AdminAccess"/> permission (403 <c>admin.forbidden</c>). An endpoint without
/// <see cref="AdminAccess"/> is refused: forgetting to declare a permission fails closed. Every request with
/// a method other than GET and HEAD, refused or not, gets one line in the <see cref="AdminAuditLog"/>.
/// </summary>
internal sealed class AdminApiKeyFilter(AdminApiKeyStore keys, AdminRateLimiter limiter, AdminAuditLog audit, ILogger<AdminApiKeyFilter> log) : IEndpointFilter
{
    /// <summary>The <c>Authorization</c> scheme, X-Road style: <c>Authorization: X-Api-Key {key}</c>.</summary>
    internal const string Scheme = "X-Api-Key";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var access = http.GetEndpoint()?.Metadata.GetMetadata<AdminAccess>();
        AdminApiKey? key = null;
        object? result = null;
        try
        {
            (key, result) = Admit(http, access);
            if (result is null)
            {
                result = await next(context).ConfigureAwait(false);
            }

            return result;
        }
        finally
        {
            if (!HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method))
            {
                Audit(http, access, key, result);
            }
        }
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

    // The checks in order; a non-null result is the refusal. The key is returned once it authenticated, for the audit line.
    private (AdminApiKey? Key, object? Refusal) Admit(HttpContext http, AdminAccess? access)
    {
        var remote = http.Connection.RemoteIpAddress;
        var presented = ReadKey(http.Request.Headers);
        var key = presented is null ? null : keys.Authenticate(presented);
        if (key is null)
        {
            AdminLog.Unauthenticated(log, presented is null ? "no key" : "unknown, malformed or revoked key", remote?.ToString() ?? "-");
            http.Response.Headers.WWWAuthenticate = $"{Scheme} realm=\"security-server\"";
            return (null, new AdminFailure(AdminFailureKind.Unauthenticated, $"Send a valid API key: 'Authorization: {Scheme} <key>'.").ToResult());
        }

        if (!limiter.TryAcquire(key.Id, out var retryAfter))
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
            AdminLog.RateLimited(log, key.Id, seconds);
            http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            return (key, new AdminFailure(AdminFailureKind.RateLimited, $"Too many requests with this API key; retry after {seconds} s.").ToResult());
        }

        if (access is null)
        {
            return (key, new AdminFailure(AdminFailureKind.Forbidden, "This endpoint declares no permission.").ToResult());
        }

        if (access.LoopbackOnly && (remote is null || !IPAddress.IsLoopback(remote)))
        {
            AdminLog.LoopbackOnly(log, key.Id, access.Action, remote?.ToString() ?? "-");
            return (key, new AdminFailure(AdminFailureKind.LoopbackOnly, $"{access.Action} is accepted from loopback addresses only.").ToResult());
        }

        if (!AdminRoles.Grants(key.Roles, access.Permission))
        {
            AdminLog.Forbidden(log, key.Id, access.Action);
            return (key, new AdminFailure(AdminFailureKind.Forbidden, $"The key's roles do not allow {access.Action}.").ToResult());
        }

        http.Features.Set(new AdminCaller(key));
        return (key, null);
    }

    private void Audit(HttpContext http, AdminAccess? access, AdminApiKey? key, object? result)
    {
        var (status, code) = Describe(http, result);
        var entry = new AdminAuditEntry(
            audit.Now,
            key?.Id,
            key?.Name,
            key is null ? [] : [.. key.Roles.Select(AdminRoles.Name)],
            access?.Action ?? "unknown",
            Target(http),
            code ?? (status < 400 ? AdminAuditEntry.Ok : string.Create(CultureInfo.InvariantCulture, $"http.{status}")),
            status,
            http.Connection.RemoteIpAddress?.ToString() ?? "-");
        try
        {
            audit.Append(entry);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            AdminLog.AuditFailed(log, ex, entry.Action, entry.Target);
        }
    }

    // The status and problem code of what the endpoint returned; an exception (null result) is a 500.
    private static (int Status, string? Code) Describe(HttpContext http, object? result) => result switch
    {
        ProblemHttpResult problem => (problem.StatusCode, problem.ProblemDetails.Extensions.TryGetValue("code", out var c) ? c as string : null),
        IStatusCodeHttpResult { StatusCode: { } status } => (status, null),
        IResult => (StatusCodes.Status200OK, null),
        null => (StatusCodes.Status500InternalServerError, "server.internal_error"),
        _ => (http.Response.StatusCode, null),
    };

    private static string Target(HttpContext http)
    {
        var raw = http.Features.Get<IHttpRequestFeature>()?.RawTarget ?? http.Request.Path.Value ?? string.Empty;
        var query = raw.IndexOf('?', StringComparison.Ordinal);
        var path = query < 0 ? raw : raw[..query];
        if (path.StartsWith(RegistryAdminApi.Prefix, StringComparison.Ordinal))
        {
            path = path[RegistryAdminApi.Prefix.Length..];
        }

        try
        {
            return Uri.UnescapeDataString(path);
        }
        catch (UriFormatException)
        {
            return path;
        }
    }
}
