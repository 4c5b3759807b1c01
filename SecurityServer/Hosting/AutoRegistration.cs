using ExchangeGateway.Config.Client;
using ExchangeGateway.SecurityServer.Onboarding;
using ExchangeGateway.SecurityServer.Registry;
using ExchangeGateway.Signer.Keys;
using ExchangeGateway.Signer.Tokens;

namespace ExchangeGateway.SecurityServer.Hosting;

/// <summary>
/// The <c>SecurityServer:AutoRegister</c> development option: onboarding without an operator, through the same
/// <see cref="IOnboarding"/> path the admin API uses. It registers the token's saved, active authentication
/// certificate, and once one is registered every saved local client. Each item is tried at most once a minute
/// while it is missing (a refusal leaves it saved); accepted requests are completed by the onboarding follower
/// when the global configuration shows them. Needs a logged-in token and a valid global configuration.
/// </summary>
internal sealed partial class AutoRegistration
{
    /// <summary>The least time between two attempts for the same certificate or client.</summary>
    internal static readonly TimeSpan Resend = TimeSpan.FromMinutes(1);

    private readonly IOnboarding _onboarding;
    private readonly SoftwareToken _token;
    private readonly LocalConfigurationStore _local;
    private readonly ConfigurationClient _configuration;
    private readonly TimeProvider _time;
    private readonly ILogger<AutoRegistration> _logger;
    private readonly Dictionary<string, DateTimeOffset> _attempted = new(StringComparer.Ordinal);

    public AutoRegistration(IOnboarding onboarding, SoftwareToken token, LocalConfigurationStore local, ConfigurationClient configuration, TimeProvider time, ILogger<AutoRegistration> logger)
    {
        _onboarding = onboarding;
        _token = token;
        _local = local;
        _configuration = configuration;
        _time = time;
        _logger = logger;
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var complete = false;
            try
            {
                complete = await RegisterOnceAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // serverconf.json or the token could not be written; the state did not change, so the next round retries.
                LogFailed(_logger, "auto-registration", "io", ex.Message);
            }

            try
            {
                // Quick while something is missing (a fresh install waits for approval); slow once all is registered.
                await Task.Delay(TimeSpan.FromSeconds(complete ? 15 : 1), _time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Sends what is still saved; returns true when an authentication certificate and every client are registered.</summary>
    public async Task<bool> RegisterOnceAsync(CancellationToken cancellationToken)
    {
        if (_local.Current is not { } local || _token.Status != TokenStatus.LoggedIn || !_configuration.TryGetValid(_time.GetUtcNow(), out _))
        {
            return false;
        }

        var authCertificates = _token.Describe().Keys
            .Where(k => k.Usage == KeyPurpose.Authentication)
            .SelectMany(k => k.Certificates)
            .Where(c => c.Active)
            .ToList();
        if (!authCertificates.Any(c => c.State == CertificateState.Registered))
        {
            // Clients can only be registered on a server the Central Server knows, which the certificate creates.
            if (!authCertificates.Any(c => c.State == CertificateState.RegistrationInProgress)
                && authCertificates.FirstOrDefault(c => c.State == CertificateState.Saved) is { } saved)
            {
                await AttemptAsync("auth " + saved.Id, ct => _onboarding.RegisterAuthenticationCertificateAsync(saved.Id, null, ct), cancellationToken).ConfigureAwait(false);
            }

            return false;
        }

        var missing = false;
        foreach (var client in local.Clients)
        {
            if (client.Status == ClientStatus.Saved)
            {
                missing = true;
                await AttemptAsync("client " + client.Id, ct => _onboarding.RegisterClientAsync(client.Id, ct), cancellationToken).ConfigureAwait(false);
            }
            else if (client.Status == ClientStatus.RegistrationInProgress)
            {
                missing = true;
            }
        }

        return !missing;
    }

    private async Task AttemptAsync(string what, Func<CancellationToken, Task<OnboardingResult>> send, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (_attempted.TryGetValue(what, out var last) && now - last < Resend)
        {
            return;
        }

        _attempted[what] = now;
        var result = await send(cancellationToken).ConfigureAwait(false);
        if (result.Success)
        {
            LogSent(_logger, what, result.RequestId!, result.RequestState!);
        }
        else
        {
            LogFailed(_logger, what, result.Code!, result.Message ?? string.Empty);
        }
    }

    [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "Auto-registration of {What} accepted as {RequestId}: {State}")]
    private static partial void LogSent(ILogger logger, string what, string requestId, string state);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "Auto-registration of {What} failed: {Code} {Reason}")]
    private static partial void LogFailed(ILogger logger, string what, string code, string reason);
}
