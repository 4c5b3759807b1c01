namespace ExchangeGateway.SecurityServer.Operations;

/// <summary>Creates the exporter when the host starts, so it listens before the first exchange is recorded.</summary>
internal sealed class MetricsStartup(PrometheusTextExporter exporter) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        GC.KeepAlive(exporter);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
