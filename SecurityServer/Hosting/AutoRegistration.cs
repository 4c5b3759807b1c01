using System.Net.Http.Headers;
using System.Text;
using ExchangeGateway.Config.Client;
using ExchangeGateway.Config.Management;
using ExchangeGateway.Config.Model;
using ExchangeGateway.SecurityServer.Registry;
using ExchangeGateway.Signer.Keys;
using ExchangeGateway.Signer.Tokens;
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
    private readonly SoftwareToken _token;
    private readonly IHttpClientFactory _http;
    private readonly TimeProvider _time;
    private readonly SecurityServerOptions _options;
    private readonly ILogger<AutoRegistration> _logger;
    private readonly Dictionary<string, DateTimeOffset> _sent = new(StringComparer.Ordinal);

    public AutoRegistration(ConfigurationClient configuration, LocalConfigurationStore local, SoftwareToken token, IHttpClientFactory http, TimeProvider time, IOptions<SecurityServerOptions> options, ILogger<AutoRegistration> logger)
    {
        _configuration = configuration;
        _local = local;
        _token = token;
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
        var certificates = _token.Describe().Keys.SelectMany(k => k.Certificates).Where(c => c.Active).ToList();
        var auth = certificates.FirstOrDefault(c => c.Usage == KeyPurpose.Authentication);
        var owner = certificates.FirstOrDefault(c => c.Usage == KeyPurpose.Signing && c.Member == server.Owner && c.State == CertificateState.Registered);
        if (auth is null || owner is null)
        {
            LogFailed(_logger, "no active authentication certificate or owner signing certificate in the token");
            return false;
        }

        var authMissing = !conf.IsAuthenticationCertificateRegistered(server, Convert.FromHexString(auth.Id));
        var hosted = conf.FindSecurityServer(server)?.Clients ?? [];
        var clientsMissing = local.Clients.Where(c => !hosted.Contains(c.Id)).ToList();
        if (!authMissing && clientsMissing.Count == 0)
        {
            return true;
        }

        if (authMissing)
        {
            await SendOnceAsync(conf, "auth", () =>
            {
                var request = ManagementRequestBuilder.AuthCertRegistration(Guid.NewGuid(), _time.GetUtcNow(), server, auth.Der.Span, _options.PublicAddress);
                return Envelope(request, owner.Id, auth.Id);
            }, cancellationToken).ConfigureAwait(false);
            return false;
        }

        foreach (var client in clientsMissing)
        {
            await SendOnceAsync(conf, "client " + client.Id, () =>
            {
                var request = ManagementRequestBuilder.ClientRegistration(Guid.NewGuid(), _time.GetUtcNow(), server, client.Id);
                return Envelope(request, owner.Id, null);
            }, cancellationToken).ConfigureAwait(false);
        }

        return false;
    }

    private string Envelope(byte[] request, string ownerCertificate, string? authCertificate)
    {
        var ownerSignature = _token.SignCms(ownerCertificate, request, _time.GetUtcNow());
        var authSignature = authCertificate is null ? null : _token.SignCms(authCertificate, request, _time.GetUtcNow());
        if (!ownerSignature.Success || authSignature is { Success: false })
        {
            throw new IOException($"the token cannot sign: {ownerSignature.Message ?? authSignature!.Message}");
        }

        return ManagementRequestBuilder.Envelope(request, ownerSignature.Value, authSignature?.Value ?? []);
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
