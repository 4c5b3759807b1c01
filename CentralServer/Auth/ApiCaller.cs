using ExchangeGateway.CentralServer.Registration;

namespace ExchangeGateway.CentralServer.Auth;

/// <summary>The authenticated caller of an admin API request, set by <see cref="ApiKeyAuthentication"/>.</summary>
/// <param name="Key">The key that authenticated the request.</param>
public sealed record ApiCaller(ApiKeyInfo Key)
{
    /// <summary>The caller as the audit log names it.</summary>
    public Actor Actor => new(Key.Id, Key.Name);

    /// <summary>The caller of <paramref name="context"/>; throws when the request was not authenticated (a wiring bug).</summary>
    public static ApiCaller From(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Features.Get<ApiCaller>() ?? throw new InvalidOperationException("The admin API request has no authenticated caller.");
    }
}
