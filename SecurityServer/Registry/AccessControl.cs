using ExchangeGateway.Common.Identifiers;
using ExchangeGateway.Config.Model;

namespace ExchangeGateway.SecurityServer.Registry;

/// <summary>
/// The provider side's access decision (ARCHITECTURE.md §2, step 4): default deny; a right grants a
/// subsystem, a global group or a local group the whole service or one method on paths matching a glob. Stateless and
/// allocation-light, for the hot path.
/// </summary>
public static class AccessControl
{
    /// <summary>
    /// Decides whether <paramref name="caller"/> may call <paramref name="service"/> with
    /// <paramref name="method"/> on <paramref name="rawPath"/>. Checks, in this order: the raw path is safe
    /// to match (<see cref="AccessDecision.InvalidPath"/>), a local subsystem offers the service
    /// (<see cref="AccessDecision.UnknownService"/>), some right covers caller, method and path
    /// (<see cref="AccessDecision.AccessDenied"/>), and the service is enabled
    /// (<see cref="AccessDecision.ServiceDisabled"/>, told only to callers who hold a right).
    /// </summary>
    /// <param name="local">The snapshot to decide on; take it once per exchange.</param>
    /// <param name="global">The valid global configuration, for group membership; null means no group matches.</param>
    /// <param name="caller">The authenticated client.</param>
    /// <param name="service">The service addressed.</param>
    /// <param name="method">The HTTP method as sent (case-sensitive).</param>
    /// <param name="rawPath">The raw path after the service code, without the query: empty or starting with <c>/</c>; not decoded.</param>
    public static AccessDecision Decide(LocalConfiguration local, GlobalConfiguration? global, ClientId caller, ServiceId service, string method, string rawPath)
    {
        ArgumentNullException.ThrowIfNull(local);
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(rawPath);
        if (RequestPathRules.Check(rawPath) is not null)
        {
            return AccessDecision.InvalidPath;
        }

        var found = local.FindService(service);
        if (found is null)
        {
            return AccessDecision.UnknownService;
        }

        if (!IsGranted(found, global, caller, method, rawPath, local.FindSubsystem(service.Client)))
        {
            return AccessDecision.AccessDenied;
        }

        return found.Enabled ? AccessDecision.Allowed : AccessDecision.ServiceDisabled;
    }

    /// <summary>
    /// True when some right of <paramref name="service"/> covers the caller, the method and the path. The
    /// path must already have passed <see cref="RequestPathRules.Check"/>. Local-group rights need
    /// <paramref name="provider"/>, the client offering the service; without it they grant nothing.
    /// </summary>
    public static bool IsGranted(LocalService service, GlobalConfiguration? global, ClientId caller, string method, string rawPath, LocalClient? provider = null)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(rawPath);

        // A path with parameters must match as sent and as Tomcat-like servers read it (see RequestPathRules).
        var withoutParameters = RequestPathRules.WithoutPathParameters(rawPath);
        foreach (var right in service.AccessRights)
        {
            if (right.Covers(method, rawPath)
                && (ReferenceEquals(withoutParameters, rawPath) || right.Covers(method, withoutParameters))
                && right.Subject.Matches(caller, global, provider))
            {
                return true;
            }
        }

        return false;
    }
}
