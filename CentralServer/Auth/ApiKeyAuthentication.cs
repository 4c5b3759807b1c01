using System.Net;
using System.Threading.RateLimiting;
using ExchangeGateway.CentralServer.Api;
using ExchangeGateway.CentralServer.Audit;
using ExchangeGateway.CentralServer.Errors;
using ExchangeGateway.CentralServer.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace ExchangeGateway.CentralServer.Auth;

/// <summary>
/// Guards every request under <c>/api</c>, in this order: an API key must authenticate (401), the key's
/// rate limit must allow the request (429), key management must come from loopback (403
/// <c>auth.loopback_only</c>), and the key's roles must grant the endpoint's <see cref="ApiAccess"/>
/// permission (403 <c>auth.forbidden</c>). An <c>/api</c> endpoint without <see cref="ApiAccess"/> is refused:
/// forgetting to declare a permission fails closed. Refused write attempts by a known key are audited.
/// </summary>
public sealed partial class ApiKeyAuthentication : IDisposable
{
    /// <summary>The <c>Authorization</c> scheme, X-Road style: <c>Authorization: X-Api-Key {key}</c>.</summary>
    public const string Scheme = "X-Api-Key";

    /// <summary>The alternative header carrying the key alone.</summary>
    public const string HeaderName = "X-Api-Key";

    private readonly ApiKeyStore _keys;
    private readonly AuditLog _audit;
    private readonly ILogger<ApiKeyAuthentication> _log;
    private readonly PartitionedRateLimiter<string> _limiter;

    /// <summary>Creates the guard; the per-key limit comes from <see cref="CentralServerOptions"/>.</summary>
    public ApiKeyAuthentication(ApiKeyStore keys, AuditLog audit, IOptions<CentralServerOptions> options, ILogger<ApiKeyAuthentication> log)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        _keys = keys;
        _audit = audit;
        _log = log;
        var o = options.Value;
        _limiter = PartitionedRateLimiter.Create<string, string>(keyId => RateLimitPartition.GetTokenBucketLimiter(keyId, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = o.RateLimitBurst,
            TokensPerPeriod = o.RateLimitPerSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
    }

    /// <summary>The middleware; runs after routing so the endpoint's metadata is known.</summary>
    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (!context.Request.Path.StartsWithSegments("/api", StringComparison.Ordinal))
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        var remote = context.Connection.RemoteIpAddress;
        var presented = ReadKey(context.Request.Headers);
        var key = presented is null ? null : _keys.Authenticate(presented);
        if (key is null)
        {
            LogUnauthenticated(_log, presented is null ? "no key" : "unknown, malformed or revoked key", remote?.ToString() ?? "-");
            context.Response.Headers.WWWAuthenticate = $"{Scheme} realm=\"central-server\"";
            await ApiResults.Problem(FailureKind.Unauthenticated, $"Send a valid API key: 'Authorization: {Scheme} <key>' or '{HeaderName}: <key>'.")
                .ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        using var lease = _limiter.AttemptAcquire(key.Id);
        if (!lease.IsAcquired)
        {
            LogRateLimited(_log, key.Id);
            context.Response.Headers.RetryAfter = "1";
            await ApiResults.Problem(FailureKind.RateLimited, "Too many requests for this API key; retry later.").ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        var access = context.GetEndpoint()?.Metadata.GetMetadata<ApiAccess>();
        var caller = new ApiCaller(key);
        if (access is null)
        {
            // No endpoint matched (404/405), or one was mapped without a declared permission.
            if (context.GetEndpoint() is not null)
            {
                await Refuse(context, caller, "undeclared", new Failure(FailureKind.Forbidden, "This endpoint declares no permission.")).ConfigureAwait(false);
                return;
            }

            await next(context).ConfigureAwait(false);
            return;
        }

        if (access.LoopbackOnly && (remote is null || !IPAddress.IsLoopback(remote)))
        {
            LogLoopbackOnly(_log, key.Id, access.Action, remote?.ToString() ?? "-");
            await Refuse(context, caller, access.Action, new Failure(FailureKind.LoopbackOnly, "Key management is accepted from loopback addresses only.")).ConfigureAwait(false);
            return;
        }

        if (!Roles.Grants(key.Roles, access.Permission))
        {
            LogForbidden(_log, key.Id, access.Action);
            await Refuse(context, caller, access.Action, new Failure(FailureKind.Forbidden, $"The key's roles do not allow {access.Action}.")).ConfigureAwait(false);
            return;
        }

        context.Features.Set(caller);
        await next(context).ConfigureAwait(false);
    }

    /// <summary>True when <paramref name="remote"/> may use loopback-only endpoints.</summary>
    public static bool IsLoopback(IPAddress? remote) => remote is not null && IPAddress.IsLoopback(remote);

    /// <inheritdoc />
    public void Dispose() => _limiter.Dispose();

    /// <summary>The key from <c>Authorization: X-Api-Key {key}</c> or <c>X-Api-Key: {key}</c>; null when absent or ambiguous.</summary>
    internal static string? ReadKey(IHeaderDictionary headers)
    {
        string? fromAuthorization = null;
        var authorization = headers.Authorization;
        if (authorization.Count > 1)
        {
            return null;
        }

        if (authorization.Count == 1)
        {
            var value = authorization[0] ?? string.Empty;
            if (!value.StartsWith(Scheme + " ", StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }

            fromAuthorization = value[(Scheme.Length + 1)..].Trim();
        }

        StringValues header = headers[HeaderName];
        if (header.Count > 1)
        {
            return null;
        }

        var fromHeader = header.Count == 1 ? header[0]?.Trim() : null;
        if (fromAuthorization is not null && fromHeader is not null && !string.Equals(fromAuthorization, fromHeader, StringComparison.Ordinal))
        {
            return null;
        }

        var key = fromAuthorization ?? fromHeader;
        return string.IsNullOrEmpty(key) ? null : key;
    }

    private async Task Refuse(HttpContext context, ApiCaller caller, string action, Failure failure)
    {
        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
        {
            _audit.RecordFailure(caller.Actor, action, Target(context), failure);
        }

        await ApiResults.Problem(failure).ExecuteAsync(context).ConfigureAwait(false);
    }

    // The decoded path, bounded: audit rows name what was attempted without storing unbounded input.
    private static string Target(HttpContext context)
    {
        var path = context.Request.Path.Value ?? string.Empty;
        return path.Length <= 256 ? path : path[..256];
    }

    [LoggerMessage(EventId = 2101, Level = LogLevel.Warning, Message = "Admin API request refused: {Reason} from {RemoteAddress}")]
    private static partial void LogUnauthenticated(ILogger logger, string reason, string remoteAddress);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Warning, Message = "API key {KeyId} may not {Action}")]
    private static partial void LogForbidden(ILogger logger, string keyId, string action);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Warning, Message = "API key {KeyId} tried {Action} from non-loopback address {RemoteAddress}")]
    private static partial void LogLoopbackOnly(ILogger logger, string keyId, string action, string remoteAddress);

    [LoggerMessage(EventId = 2104, Level = LogLevel.Warning, Message = "API key {KeyId} exceeded its rate limit")]
    private static partial void LogRateLimited(ILogger logger, string keyId);
}
