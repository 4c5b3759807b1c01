using ExchangeGateway.MessageLog.Archiving;
using Microsoft.Extensions.Options;

namespace ExchangeGateway.SecurityServer.Hosting;

/// <summary>
/// Runs a retention pass (body retention, then archiving) every <see cref="MessageLogSettings.RetentionInterval"/>
/// once the server is initialised (the archives are signed by its owner), when either is configured.
/// </summary>
internal sealed class MessageLogRetentionService(IServiceProvider services) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = services.GetRequiredService<IOptions<SecurityServerOptions>>().Value.MessageLog;
        if (!settings.Enabled)
        {
            return;
        }

        var local = services.GetRequiredService<Registry.LocalConfigurationStore>();
        var time = services.GetRequiredService<TimeProvider>();
        while (local.Current is null)
        {
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500), time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        await services.GetRequiredService<MessageLogArchiver>().RunAsync(stoppingToken).ConfigureAwait(false);
    }
}
