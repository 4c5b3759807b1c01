using ExchangeGateway.Config.Client;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ExchangeGateway.SecurityServer.Operations;

/// <summary>Registers the exchange metrics and serves them in Prometheus text format.</summary>
public static class MetricsEndpointExtensions
{
    /// <summary>
    /// Adds <see cref="ExchangeMetrics"/> (on the host's <c>IMeterFactory</c>) and a
    /// <see cref="PrometheusTextExporter"/> that starts listening when the host starts. When a
    /// <see cref="ConfigurationClient"/> is registered, <c>xgw_globalconf_serial</c> follows its serial.
    /// </summary>
    public static IServiceCollection AddExchangeMetrics(this IServiceCollection services, int maxSeriesPerInstrument = PrometheusTextExporter.DefaultMaxSeriesPerInstrument)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddMetrics();
        services.TryAddSingleton(sp =>
        {
            var metrics = new ExchangeMetrics(sp.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());

            // Resolved at each scrape, not now: the client is built from the anchor when the host starts.
            metrics.ObserveGlobalConfSerial(() => sp.GetService<ConfigurationClient>()?.Status.Serial);
            return metrics;
        });
        services.TryAddSingleton(sp => new PrometheusTextExporter(sp.GetRequiredService<ExchangeMetrics>().Meter, maxSeriesPerInstrument));
        services.AddHostedService<MetricsStartup>();
        return services;
    }

    /// <summary>Maps <c>GET /metrics</c> (Prometheus text format 0.0.4). Map it on the loopback admin listener only.</summary>
    public static IEndpointConventionBuilder MapMetrics(this IEndpointRouteBuilder endpoints, string pattern = "/metrics")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return endpoints.MapGet(pattern, (PrometheusTextExporter exporter) => Results.Text(exporter.Render(), PrometheusTextExporter.ContentType));
    }
}
