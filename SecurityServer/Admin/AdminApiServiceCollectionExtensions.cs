using ExchangeGateway.SecurityServer.Registry;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ExchangeGateway.SecurityServer.Admin;

/// <summary>Registers what the admin API itself needs; <see cref="ServiceRegistryServiceCollectionExtensions.AddServiceRegistry"/> calls it.</summary>
public static class AdminApiServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="AdminApiOptions"/> (bound to <c>SecurityServer:Admin</c>, validated at start),
    /// <see cref="AdminRateLimiter"/>, <see cref="AdminAuditLog"/> and <see cref="TimestampingSelection"/>
    /// in the registry's data directory.
    /// </summary>
    public static IServiceCollection AddAdminApi(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<AdminApiOptions>()
            .BindConfiguration(AdminApiOptions.Section)
            .Validate(o => o.RateLimitPerSecond is > 0 and <= 100_000, "SecurityServer:Admin:RateLimitPerSecond must be above 0 and at most 100000")
            .Validate(o => o.RateLimitBurst is >= 1 and <= 1_000_000, "SecurityServer:Admin:RateLimitBurst must be between 1 and 1000000")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new AdminRateLimiter(sp.GetRequiredService<IOptions<AdminApiOptions>>(), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new AdminAuditLog(DataDirectory(sp), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new TimestampingSelection(DataDirectory(sp)));
        return services;
    }

    private static string DataDirectory(IServiceProvider sp) => sp.GetRequiredService<IOptions<ServiceRegistryOptions>>().Value.DataDirectory!;
}
