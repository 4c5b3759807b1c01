namespace ExchangeGateway.CentralServer.Auth;

/// <summary>Attaches <see cref="ApiAccess"/> to admin API endpoints.</summary>
public static class ApiAccessExtensions
{
    /// <summary>Requires <paramref name="permission"/>; <paramref name="action"/> names the operation in audit entries.</summary>
    public static TBuilder Requires<TBuilder>(this TBuilder builder, Permission permission, string action, bool loopbackOnly = false)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.WithMetadata(new ApiAccess(permission, action, loopbackOnly));
        return builder;
    }
}
