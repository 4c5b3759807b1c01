using ExchangeGateway.MessageLog.Integration;
using ExchangeGateway.MessageLog.Records;
using ExchangeGateway.MessageLog.Storage;
using ExchangeGateway.SecurityServer.Exchange;
using ExchangeGateway.SecurityServer.Operations;
using ExchangeGateway.Signer.Ocsp;
using Microsoft.Extensions.Options;

namespace ExchangeGateway.SecurityServer.Hosting;

/// <summary>
/// The exchange's background work: warms the replay cache from the log, keeps OCSP responses for the
/// server's own certificates fresh, integrates the message log into signed, time-stamped checkpoints,
/// and (when enabled) sends the registration requests.
/// </summary>
internal sealed class ExchangeBackgroundService : BackgroundService
{
    private readonly IServiceProvider _services;

    public ExchangeBackgroundService(IServiceProvider services)
    {
        _services = services;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var options = _services.GetRequiredService<IOptions<SecurityServerOptions>>().Value;
        var time = _services.GetRequiredService<TimeProvider>();
        var log = _services.GetRequiredService<MessageLogStore>();
        var replays = _services.GetRequiredService<ReplayCache>();
        foreach (var seen in log.RecentRequests(RecordSide.Server, time.GetUtcNow() - options.ReplayWindow))
        {
            replays.Remember(seen.ClientId, seen.MessageId, seen.At);
        }

        var metrics = _services.GetRequiredService<ExchangeMetrics>();
        metrics.ObserveMessageLogBacklog(() => log.Backlog);
        metrics.ObserveCheckpointAge(() => log.LastStampedCheckpoint is { StampedAt: { } at } ? (time.GetUtcNow() - at).TotalSeconds : null);

        var work = new List<Task>
        {
            _services.GetRequiredService<OcspStatusManager>().RunAsync(stoppingToken),
            _services.GetRequiredService<LogIntegrator>().RunAsync(stoppingToken),
        };
        if (options.AutoRegister)
        {
            work.Add(_services.GetRequiredService<AutoRegistration>().RunAsync(stoppingToken));
        }

        return Task.WhenAll(work);
    }
}
