namespace ExchangeGateway.SecurityServer.Evidence;

/// <summary>Runs <see cref="Witnessing"/> for the life of the host.</summary>
internal sealed class WitnessingService(Witnessing witnessing) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => witnessing.RunAsync(stoppingToken);
}
