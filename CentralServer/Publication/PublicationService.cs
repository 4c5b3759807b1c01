using ExchangeGateway.CentralServer.Registration;

namespace ExchangeGateway.CentralServer.Publication;

/// <summary>
/// Publishes on every registry change and at least every generation interval, so configuration never
/// expires while the Central Server runs. A failed generation is logged and retried on the next tick.
/// </summary>
public sealed partial class PublicationService(
    ConfigurationPublisher publisher,
    Registry registry,
    PublicationOptions options,
    TimeProvider time,
    ILogger<PublicationService> logger) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            long known;
            try
            {
                var published = publisher.PublishIfDue();
                known = published.RegistryVersion;
            }
#pragma warning disable CA1031 // A background publisher must survive any one failed generation.
            catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
            {
                LogPublicationFailed(logger, ex);
                known = -1;
            }

            using var wake = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            var changed = known < 0 ? Task.CompletedTask : registry.WaitForChangeAsync(known, wake.Token);
            var tick = Task.Delay(known < 0 ? TimeSpan.FromSeconds(1) : options.GenerationInterval, time, wake.Token);
            try
            {
                await Task.WhenAny(changed, tick).ConfigureAwait(false);
            }
            finally
            {
                await wake.CancelAsync().ConfigureAwait(false);
            }

            await Task.WhenAll(Quietly(changed), Quietly(tick)).ConfigureAwait(false);
        }
    }

    private static async Task Quietly(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The other wake-up won.
        }
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Error, Message = "Global configuration generation failed; retrying")]
    private static partial void LogPublicationFailed(ILogger logger, Exception exception);
}
