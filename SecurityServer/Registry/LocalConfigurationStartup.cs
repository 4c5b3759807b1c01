namespace ExchangeGateway.SecurityServer.Registry;

/// <summary>Loads <c>serverconf.json</c> when the host starts, so an invalid file stops the start with its reason instead of failing the first request.</summary>
internal sealed class LocalConfigurationStartup(LocalConfigurationStore store) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Resolving the store loaded it (see AddServiceRegistry); nothing else to do.
        GC.KeepAlive(store);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
