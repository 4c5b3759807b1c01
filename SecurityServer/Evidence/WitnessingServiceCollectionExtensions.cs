using ExchangeGateway.Config.Client;
using ExchangeGateway.MessageLog.Storage;
using ExchangeGateway.SecurityServer.Hosting;
using ExchangeGateway.SecurityServer.Operations;
using ExchangeGateway.SecurityServer.Registry;
using Microsoft.Extensions.Options;

namespace ExchangeGateway.SecurityServer.Evidence;

/// <summary>Registers witnessing in a security server host.</summary>
public static class WitnessingServiceCollectionExtensions
{
    /// <summary>The longest one request to the Central Server's witness endpoints may take.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Adds <see cref="Witnessing"/> (every <c>SecurityServer:WitnessInterval</c>), its metrics and the hosted
    /// service that runs it. Needs <see cref="MessageLogStore"/>, <see cref="ConfigurationClient"/>,
    /// <see cref="LocalConfigurationStore"/>, <see cref="ExchangeMetrics"/> and <see cref="TimeProvider"/> registered.
    /// </summary>
    public static IServiceCollection AddWitnessing(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddHttpClient(nameof(Witnessing));
        services.AddSingleton(sp => new WitnessingMetrics(sp.GetRequiredService<ExchangeMetrics>()));
        services.AddSingleton(sp =>
        {
            var local = sp.GetRequiredService<LocalConfigurationStore>();
            return new Witnessing(
                sp.GetRequiredService<MessageLogStore>(),
                sp.GetRequiredService<ConfigurationClient>(),
                () => local.Current?.ServerId,
                sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(Witnessing)),
                sp.GetRequiredService<WitnessingMetrics>(),
                sp.GetRequiredService<IOptions<SecurityServerOptions>>().Value.WitnessInterval,
                RequestTimeout,
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<Witnessing>>());
        });
        services.AddHostedService<WitnessingService>();
        return services;
    }
}
