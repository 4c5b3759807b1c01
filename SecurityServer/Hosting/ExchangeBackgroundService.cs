using ExchangeGateway.MessageLog.Integration;
using ExchangeGateway.MessageLog.Records;
using ExchangeGateway.MessageLog.Storage;
using ExchangeGateway.SecurityServer.Auditing;
using ExchangeGateway.SecurityServer.Exchange;
using ExchangeGateway.SecurityServer.Operations;
using ExchangeGateway.Signer.Ocsp;
using Microsoft.Extensions.Options;

namespace ExchangeGateway.SecurityServer.Hosting;

/// <summary>
/// The exchange's background work: warms the replay cache from the log, keeps OCSP responses for the
/// server's own certificates fresh, integrates the message log into signed, time-stamped checkpoints,
/// re-verifies it (<see cref="IntegrityMonitor"/>), and (when enabled) sends the registration requests.
/// </summary>
internal sealed partial class ExchangeBackgroundService : BackgroundService
{
    private readonly IServiceProvider _services;
    private readonly ILogger<ExchangeBackgroundService> _logger;

    public ExchangeBackgroundService(IServiceProvider services, ILogger<ExchangeBackgroundService> logger)
    {
        _services = services;
        _logger = logger;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var options = _services.GetRequiredService<IOptions<SecurityServerOptions>>().Value;
        _services.GetRequiredService<TokenRuntime>();
        AutoLogin(options);
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
            IntegrateWhenInitialisedAsync(stoppingToken),
            _services.GetRequiredService<IntegrityMonitor>().RunAsync(stoppingToken),
        };
        if (options.AutoRegister)
        {
            work.Add(_services.GetRequiredService<AutoRegistration>().RunAsync(stoppingToken));
        }

        await Task.WhenAll(work).ConfigureAwait(false);
    }

    // The integrator signs checkpoints for the server id, which exists only once serverconf.json does.
    private async Task IntegrateWhenInitialisedAsync(CancellationToken stoppingToken)
    {
        var local = _services.GetRequiredService<Registry.LocalConfigurationStore>();
        var time = _services.GetRequiredService<TimeProvider>();
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

        await _services.GetRequiredService<LogIntegrator>().RunAsync(stoppingToken).ConfigureAwait(false);
    }

    // SecurityServer:TokenPinFile: log the token in at start (X-Road's "autologin"). One attempt per start,
    // so a wrong PIN in the file cannot lock the token out by itself.
    private void AutoLogin(SecurityServerOptions options)
    {
        if (string.IsNullOrEmpty(options.TokenPinFile))
        {
            return;
        }

        var token = _services.GetRequiredService<Signer.Tokens.SoftwareToken>();
        if (token.Status != Signer.Tokens.TokenStatus.LoggedOut)
        {
            return;
        }

        string pin;
        try
        {
            pin = File.ReadAllText(options.TokenPinFile).TrimEnd('\r', '\n');
        }
        catch (IOException ex)
        {
            LogAutoLogin(_logger, "the PIN file cannot be read: " + ex.Message);
            return;
        }
        catch (UnauthorizedAccessException ex)
        {
            LogAutoLogin(_logger, "the PIN file cannot be read: " + ex.Message);
            return;
        }

        var result = token.Login(pin);
        LogAutoLogin(_logger, result.Success ? "logged in" : $"{result.Code}: {result.Message}");
    }

    [LoggerMessage(EventId = 4120, Level = LogLevel.Information, Message = "Token autologin: {Outcome}")]
    private static partial void LogAutoLogin(ILogger logger, string outcome);
}
