using System.Net.Http.Headers;
using System.Text;
using ExchangeGateway.Config.Client;
using ExchangeGateway.Config.Management;
using ExchangeGateway.Config.Model;
using ExchangeGateway.SecurityServer.Registry;
using ExchangeGateway.Signer.Identities;
using ExchangeGateway.Signer.Keys;
using Microsoft.Extensions.Options;

namespace ExchangeGateway.SecurityServer.Hosting;

/// <summary>
/// Registers this server with the Central Server through the real signed management requests: the
/// authentication certificate (signed by the owner's signing key and, as proof of possession, by the
/// authentication key) and each local client the global configuration does not yet show. A request is
/// repeated at most once a minute until the configuration carries its result. The full onboarding flow
/// (approval tracking, deletion, UI) belongs to the Signer and onboarding issue.
/// </summary>
internal sealed partial class AutoRegistration
{
    private static readonly TimeSpan Resend = TimeSpan.FromMinutes(1);
    private readonly ConfigurationClient _configuration;
    private readonly LocalConfigurationStore _local;
    private readonly AuthenticationIdentity _authentication;
    private readonly SoftwareKeyStore _keys;
    private readonly IHttpClientFactory _http;
    private readonly TimeProvider _time;
    private readonly SecurityServerOptions _options;
    private readonly ILogger<AutoRegistration> _logger;
    private readonly Dictionary<string, DateTimeOffset> _sent = new(StringComparer.Ordinal);

    public AutoRegistration(ConfigurationClient configuration, LocalConfigurationStore local, AuthenticationIdentity authentication, SoftwareKeyStore keys, IHttpClientFactory http, TimeProvider time, IOptions<SecurityServerOptions> options, ILogger<AutoRegistration> logger)
    {
        _configuration = configuration;
        _local = local;
        _authentication = authentication;
        _keys = keys;
        _http = http;
        _time = time;
        _options = options.Value;
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
            catch (Exception ex) when (ex is HttpRequestException or IOException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                LogFailed(_logger, ex.Message);
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

    /// <summary>Sends what the configuration does not show yet; returns true when nothing is missing.</summary>
    public async Task<bool> RegisterOnceAsync(CancellationToken cancellationToken)
    {
        if (!_configuration.TryGetValid(_time.GetUtcNow(), out GlobalConfiguration conf) || _local.Current is not { } local)
        {
            return false;
        }

        var server = local.ServerId;
        var authMissing = !conf.IsAuthenticationCertificateRegistered(server, _authentication.Certificate);
        var hosted = conf.FindSecurityServer(server)?.Clients ?? [];
        var clientsMissing = local.Clients.Where(c => !hosted.Contains(c.Id)).ToList();
        if (!authMissing && clientsMissing.Count == 0)
        {
            return true;
        }

        using var owner = _keys.LoadSigningIdentity(server.Owner);
        if (owner is null)
        {
            LogFailed(_logger, $"no signing key for the owner {server.Owner}");
            return false;
        }

        if (authMissing)
        {
            await SendOnceAsync(conf, "auth", () =>
            {
                var request = ManagementRequestBuilder.AuthCertRegistration(Guid.NewGuid(), _time.GetUtcNow(), server, _authentication.Certificate.RawData, _options.PublicAddress);
                return ManagementRequestBuilder.SignedEnvelope(request, owner.Certificate, _authentication.Certificate, _time.GetUtcNow(), owner.Chain);
            }, cancellationToken).ConfigureAwait(false);
            return false;
        }

        foreach (var client in clientsMissing)
        {
            await SendOnceAsync(conf, "client " + client.Id, () =>
            {
                var request = ManagementRequestBuilder.ClientRegistration(Guid.NewGuid(), _time.GetUtcNow(), server, client.Id);
                return ManagementRequestBuilder.SignedEnvelope(request, owner.Certificate, null, _time.GetUtcNow(), owner.Chain);
            }, cancellationToken).ConfigureAwait(false);
        }

        return false;
    }

    private async Task SendOnceAsync(GlobalConfiguration conf, string what, Func<string> envelope, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (_sent.TryGetValue(what, out var last) && now - last < Resend)
        {
            return;
        }

        _sent[what] = now;
        using var content = new StringContent(envelope(), Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
        using var http = _http.CreateClient(nameof(AutoRegistration));
        http.Timeout = TimeSpan.FromSeconds(15);
        using var response = await http.PostAsync(new Uri(conf.ManagementServiceAddress), content, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        LogSent(_logger, what, (int)response.StatusCode, body.Length > 300 ? body[..300] : body);
    }

    [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "Registration request for {What} answered {Status}: {Body}")]
    private static partial void LogSent(ILogger logger, string what, int status, string body);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "Registration with the Central Server failed: {Reason}")]
    private static partial void LogFailed(ILogger logger, string reason);
}
