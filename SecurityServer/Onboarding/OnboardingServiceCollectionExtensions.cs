using ExchangeGateway.Config.Client;
using ExchangeGateway.SecurityServer.Hosting;
using ExchangeGateway.SecurityServer.Registry;
using ExchangeGateway.Signer.Tokens;
using Microsoft.Extensions.Options;

namespace ExchangeGateway.SecurityServer.Onboarding;

/// <summary>Registers onboarding in a security server host.</summary>
public static class OnboardingServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IOnboarding"/> (an <see cref="OnboardingService"/>), its <see cref="ManagementRequestLog"/>
    /// and the hosted follower that completes states from each new global configuration. Needs
    /// <see cref="SoftwareToken"/>, <see cref="LocalConfigurationStore"/>, <see cref="ConfigurationClient"/>,
    /// <see cref="TimeProvider"/> and <see cref="SecurityServerOptions"/> registered.
    /// </summary>
    public static IServiceCollection AddOnboarding(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddHttpClient(nameof(OnboardingService));
        services.AddSingleton(sp => new ManagementRequestLog(
            Path.Combine(sp.GetRequiredService<IOptions<SecurityServerOptions>>().Value.DataDirectory, ManagementRequestLog.FileName)));
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<SecurityServerOptions>>().Value;
            return new OnboardingService(
                sp.GetRequiredService<SoftwareToken>(),
                sp.GetRequiredService<LocalConfigurationStore>(),
                sp.GetRequiredService<ConfigurationClient>(),
                sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(OnboardingService)),
                sp.GetRequiredService<ManagementRequestLog>(),
                new OnboardingOptions { PublicAddress = options.PublicAddress },
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<OnboardingService>>());
        });
        services.AddSingleton<IOnboarding>(sp => sp.GetRequiredService<OnboardingService>());
        services.AddHostedService<OnboardingFollower>();
        return services;
    }
}
