using ExchangeGateway.Config.Client;
using ExchangeGateway.SecurityServer.Registry;
using ExchangeGateway.Signer.Tokens;

namespace ExchangeGateway.SecurityServer.Onboarding;

/// <summary>
/// Calls <see cref="OnboardingService.Follow"/> whenever something it reads changed: a new valid global
/// configuration, the local configuration, or the token (a request accepted after the configuration that
/// already shows its result was fetched must still be completed). Checks once per <see cref="Interval"/>.
/// </summary>
internal sealed partial class OnboardingFollower : BackgroundService
{
    /// <summary>How often it looks for a change.</summary>
    internal static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private readonly OnboardingService _onboarding;
    private readonly ConfigurationClient _configuration;
    private readonly LocalConfigurationStore _local;
    private readonly SoftwareToken _token;
    private readonly TimeProvider _time;
    private readonly ILogger<OnboardingFollower> _log;
    private int _tokenChanged = 1;

    public OnboardingFollower(OnboardingService onboarding, ConfigurationClient configuration, LocalConfigurationStore local, SoftwareToken token, TimeProvider time, ILogger<OnboardingFollower> log)
    {
        _onboarding = onboarding;
        _configuration = configuration;
        _local = local;
        _token = token;
        _time = time;
        _log = log;
        _token.Changed += OnTokenChanged;
    }

    public override void Dispose()
    {
        _token.Changed -= OnTokenChanged;
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        long followedSerial = -1;
        long followedLocal = -1;
        while (!stoppingToken.IsCancellationRequested)
        {
            if (_configuration.TryGetValid(_time.GetUtcNow(), out var conf))
            {
                var localVersion = _local.Version;
                var tokenChanged = Interlocked.Exchange(ref _tokenChanged, 0) == 1;
                if (conf.Serial != followedSerial || localVersion != followedLocal || tokenChanged)
                {
                    try
                    {
                        _onboarding.Follow(conf);
                        followedSerial = conf.Serial;
                        followedLocal = _local.Version;
                    }
                    catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                    {
                        // serverconf.json could not be written; nothing changed, so the next round tries again.
                        LogFollowFailed(_log, ex.Message);
                    }
                }
            }

            try
            {
                await Task.Delay(Interval, _time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void OnTokenChanged(object? sender, EventArgs e) => Interlocked.Exchange(ref _tokenChanged, 1);

    [LoggerMessage(EventId = 4207, Level = LogLevel.Warning, Message = "Following the global configuration failed: {Reason}")]
    private static partial void LogFollowFailed(ILogger logger, string reason);
}
