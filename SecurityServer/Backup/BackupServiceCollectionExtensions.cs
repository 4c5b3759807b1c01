using ExchangeGateway.Config.Client;
using ExchangeGateway.SecurityServer.Hosting;
using ExchangeGateway.SecurityServer.Registry;
using ExchangeGateway.Signer.Tokens;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ExchangeGateway.SecurityServer.Backup;

/// <summary>Registers <see cref="BackupService"/>.</summary>
public static class BackupServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="BackupService"/> over <c>SecurityServer:DataDirectory</c> and <c>AnchorPath</c>. Needs
    /// <see cref="LocalConfigurationStore"/>, <see cref="SoftwareToken"/>, <see cref="ConfigurationClient"/> (its valid
    /// configuration's approved CAs decide whose backups are accepted) and <see cref="TimeProvider"/>. The admin API's
    /// <c>/backups</c> endpoints use it.
    /// </summary>
    public static IServiceCollection AddBackups(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(sp =>
        {
            var server = sp.GetRequiredService<IOptions<SecurityServerOptions>>().Value;
            var client = sp.GetRequiredService<ConfigurationClient>();
            return new BackupService(
                new BackupOptions { DataDirectory = server.DataDirectory, AnchorPath = server.AnchorPath },
                sp.GetRequiredService<LocalConfigurationStore>(),
                sp.GetRequiredService<SoftwareToken>(),
                () => client.TryGetValid(out var configuration) ? configuration : null,
                sp.GetRequiredService<TimeProvider>(),
                sp.GetService<ILogger<BackupService>>());
        });
        return services;
    }
}
