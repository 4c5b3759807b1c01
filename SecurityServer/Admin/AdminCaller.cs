namespace ExchangeGateway.SecurityServer.Admin;

/// <summary>The authenticated caller of an admin request, set by <see cref="AdminApiKeyFilter"/>.</summary>
/// <param name="Key">The key that authenticated the request.</param>
public sealed record AdminCaller(AdminApiKey Key)
{
    /// <summary>The caller of <paramref name="context"/>; throws when the request was not authenticated (a wiring bug).</summary>
    public static AdminCaller From(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Features.Get<AdminCaller>() ?? throw new InvalidOperationException("The admin request has no authenticated caller.");
    }
}
