using ExchangeGateway.SecurityServer.Descriptions;
using ExchangeGateway.SecurityServer.Admin;
using ExchangeGateway.SecurityServer.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ExchangeGateway.SecurityServer.Registry;

/// <summary>Registers the service registry: the local configuration store, loaded at start, and the admin API key store.</summary>
public static partial class ServiceRegistryServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="LocalConfigurationStore"/> (loaded from <c>{DataDirectory}/serverconf.json</c> when the
    /// host starts; an invalid file stops the start with the reason), <see cref="AdminApiKeyStore"/>,
    /// <see cref="ServiceDescriptions"/> with its <see cref="DescriptionDocuments"/> (<c>{DataDirectory}/descriptions/</c>)
    /// and <see cref="DescriptionFetcher"/>, and the options the admin API needs. Map the admin API with <see cref="RegistryAdminApi.MapRegistryAdminApi"/>.
    /// </summary>
    public static IServiceCollection AddServiceRegistry(this IServiceCollection services, Action<ServiceRegistryOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<ServiceRegistryOptions>()
            .Configure<IOptions<SecurityServerOptions>>((o, server) => o.DataDirectory ??= server.Value.DataDirectory)
            .Validate(o => !string.IsNullOrEmpty(o.DataDirectory), "ServiceRegistry: DataDirectory must be set")
            .Validate(o => o.MaxAdminRequestBytes is > 0 and <= 16 * 1024 * 1024, "ServiceRegistry: MaxAdminRequestBytes must be between 1 and 16 MiB")
            .ValidateOnStart();
        if (configure is not null)
        {
            services.Configure(configure);
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<ServiceRegistryOptions>>().Value;
            var logger = sp.GetRequiredService<ILogger<LocalConfigurationStore>>();
            var store = new LocalConfigurationStore(o.DataDirectory!, logger);
            var loaded = store.Load();
            if (!loaded.Success)
            {
                if (File.Exists(store.FilePath) || o.RequireConfiguration)
                {
                    throw new InvalidOperationException($"The local configuration cannot be used: {loaded.Message}");
                }

                LogNoConfiguration(logger, store.FilePath);
            }

            return store;
        });
        services.TryAddSingleton(sp => new AdminApiKeyStore(
            sp.GetRequiredService<IOptions<ServiceRegistryOptions>>().Value.DataDirectory!,
            sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new DescriptionDocuments(sp.GetRequiredService<IOptions<ServiceRegistryOptions>>().Value.DataDirectory!));
        services.TryAddSingleton(_ => new DescriptionFetcher(DescriptionFetcher.CreateHttpClient()));
        services.TryAddSingleton(sp => new ServiceDescriptions(
            sp.GetRequiredService<LocalConfigurationStore>(),
            sp.GetRequiredService<DescriptionDocuments>(),
            sp.GetRequiredService<DescriptionFetcher>(),
            sp.GetRequiredService<TimeProvider>()));
        services.AddHostedService<LocalConfigurationStartup>();
        services.AddAdminApi();
        return services;
    }

    [LoggerMessage(EventId = 4004, Level = LogLevel.Warning, Message = "No local configuration at {Path}: no client is served until it exists (run init)")]
    private static partial void LogNoConfiguration(ILogger logger, string path);
}
