using ExchangeGateway.Config.Client;

namespace ExchangeGateway.SecurityServer.Hosting;

/// <summary>
/// Runs the configuration client for the life of the host: loads the last good copy from disk first
/// (so a restart during a Central Server outage keeps serving until expiry), then polls.
/// </summary>
public sealed partial class GlobalConfigurationService(ConfigurationClient client, ILogger<GlobalConfigurationService> logger) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (client.LoadPersisted() && client.Status.Serial is { } serial)
        {
            LogLoadedPersisted(logger, serial);
        }

        await client.RunAsync(stoppingToken).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Loaded persisted global configuration serial {Serial}")]
    private static partial void LogLoadedPersisted(ILogger logger, long serial);
}
