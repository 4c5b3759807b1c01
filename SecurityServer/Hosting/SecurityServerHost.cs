using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using ExchangeGateway.SecurityServer.Admin;
using ExchangeGateway.Config.Anchors;
using ExchangeGateway.Config.Client;
using ExchangeGateway.MessageLog.Storage;
using ExchangeGateway.SecurityServer.Auditing;
using ExchangeGateway.SecurityServer.Exchange;
using ExchangeGateway.SecurityServer.Operations;
using ExchangeGateway.SecurityServer.Registry;
using ExchangeGateway.Signer.Ocsp;
using ExchangeGateway.Signer.Tokens;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Options;

namespace ExchangeGateway.SecurityServer.Hosting;

/// <summary>
/// Builds the security server application. <c>Program.cs</c> only calls this; tests call it with a
/// temporary data directory and a manual clock. Every server listens on four ports: admin, client proxy
/// (HTTP and HTTPS) and server proxy (mutual TLS). What works is decided per request and per handshake:
/// before initialisation (through the admin API) the proxies refuse and readiness says why; TLS needs the
/// token logged in (<see cref="TokenRuntime"/>), so onboarding completes without a restart.
/// </summary>
public static class SecurityServerHost
{
    /// <summary>The readiness failure code when configuration is missing or expired (X-Road vocabulary).</summary>
    public const string OutdatedGlobalConf = "server.clientproxy.outdated_global_conf";

    private const string ListenerKey = "xgw.listener";
    private const string ClientListener = "client";
    private const string ServerListener = "server";

    /// <summary>Builds the application.</summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        // The content root is the application folder, not the working directory: configuration files are
        // watched for changes under the content root, and a working directory holding message logs and
        // databases would wake every process on every write (it cost tens of µs per exchange).
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        var settings = builder.Configuration.GetSection(SecurityServerOptions.Section).Get<SecurityServerOptions>() ?? new SecurityServerOptions();
        var adminUrl = builder.Configuration["urls"] is { Length: > 0 } urls ? urls.Split(';')[0] : settings.AdminUrl;

        builder.Services.AddSingleton(TimeProvider.System);
        configure?.Invoke(builder);

        builder.WebHost.ConfigureKestrel((context, k) =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = 1024 * 1024; // The proxies lift it per request and enforce MaxBodyBytes themselves.
            k.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(15);
            Listen(k, adminUrl, null, _ => { });
            var runtime = new Lazy<TokenRuntime>(() => k.ApplicationServices.GetRequiredService<TokenRuntime>());
            Listen(k, settings.ClientProxyUrl, ClientListener, _ => { });
            if (!string.IsNullOrEmpty(settings.ClientProxyTlsUrl))
            {
                Listen(k, settings.ClientProxyTlsUrl, ClientListener, listen => listen.UseHttps(new TlsHandshakeCallbackOptions
                {
                    HandshakeTimeout = TimeSpan.FromSeconds(10),
                    OnConnection = _ => ValueTask.FromResult(new SslServerAuthenticationOptions
                    {
                        // No certificate while the token is logged out: the handshake fails, nothing is served.
                        ServerCertificate = runtime.Value.InternalTls ?? throw new AuthenticationException("The token is logged out: the internal TLS key is not available."),
                        ClientCertificateRequired = true,

                        // IS certificates are optional and matched by hash per client (IsAuthorization); weak ones are refused here.
                        RemoteCertificateValidationCallback = static (_, cert, _, _) => cert is null || (cert is X509Certificate2 c
                            && Common.Crypto.CryptoPolicy.CheckPublicKey(c, "IS certificate").IsValid
                            && Common.Crypto.CryptoPolicy.CheckSignatureAlgorithm(c.SignatureAlgorithm.Value, "IS certificate").IsValid),
                        EnabledSslProtocols = InterServerTls.Protocols,
                        CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                    }),
                }));
            }

            Listen(k, settings.ServerProxyUrl, ServerListener, listen => listen.UseHttps(new TlsHandshakeCallbackOptions
            {
                HandshakeTimeout = TimeSpan.FromSeconds(10),
                OnConnection = _ => ValueTask.FromResult(new SslServerAuthenticationOptions
                {
                    ServerCertificateContext = (runtime.Value.Authentication ?? throw new AuthenticationException("No authentication certificate is active (token logged out or not onboarded).")).SslCertificateContext,
                    ClientCertificateRequired = true,
                    RemoteCertificateValidationCallback = (_, cert, chain, _) => cert is X509Certificate2 c
                        && k.ApplicationServices.GetRequiredService<PeerAuthenticator>().ValidateHandshake(c, chain).IsValid,
                    CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                    EnabledSslProtocols = InterServerTls.Protocols,
                    CipherSuitesPolicy = InterServerTls.CipherSuites,
                }),
            }));
        });

        builder.Services.AddOptions<SecurityServerOptions>()
            .Bind(builder.Configuration.GetSection(SecurityServerOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => File.Exists(o.AnchorPath), "SecurityServer:AnchorPath must name an existing anchor file")
            .Validate(o => o.IntegrityCheckInterval >= TimeSpan.FromMilliseconds(100), "SecurityServer:IntegrityCheckInterval must be at least 00:00:00.1")
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<SecurityServerOptions>, MessageLogSettingsValidation>();
        builder.Services.AddHttpClient(nameof(ConfigurationClient));
        builder.Services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<SecurityServerOptions>>().Value;
            var anchor = ConfigurationAnchorSerializer.Read(File.ReadAllBytes(options.AnchorPath));
            if (!anchor.Success)
            {
                throw new InvalidOperationException($"The anchor {options.AnchorPath} is invalid: {anchor.Message}");
            }

            var storage = Path.Combine(options.DataDirectory, "globalconf");
            Directory.CreateDirectory(storage);
            var http = sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(ConfigurationClient));
            var history = sp.GetRequiredService<GlobalConfigurationHistory>();
            return new ConfigurationClient(
                anchor.Value,
                http,
                new ConfigurationClientOptions { StorageDirectory = storage, Verified = (signed, configuration, verifiedBy) => history.Record(signed, configuration, verifiedBy) },
                sp.GetRequiredService<TimeProvider>());
        });
        builder.Services.AddHostedService<GlobalConfigurationService>();
        builder.Services.AddServiceRegistry();
        builder.Services.AddExchangeMetrics();
        ExchangeComponents.Add(builder.Services);

        var app = builder.Build();
        var clientProxy = app.Services.GetRequiredService<ClientProxy>();
        var serverProxy = app.Services.GetRequiredService<ServerProxy>();
        app.Use((context, next) =>
        {
            var listener = context.Features.Get<IConnectionItemsFeature>()?.Items.TryGetValue(ListenerKey, out var name) == true ? name as string : null;
            return listener switch
            {
                ClientListener => clientProxy.HandleAsync(context),
                ServerListener => serverProxy.HandleAsync(context),
                _ => next(context),
            };
        });

        app.MapGet("/health/live", () => Results.Text("live"));
        app.MapGet("/health/ready", ReadinessAsync);
        app.MapMetrics();
        app.MapRegistryAdminApi();
        return app;
    }

    private static async Task<IResult> ReadinessAsync(IServiceProvider services)
    {
        var token = services.GetRequiredService<SoftwareToken>();
        var initialised = services.GetRequiredService<LocalConfigurationStore>().Current is not null && token.Status != TokenStatus.Uninitialised;
        var client = services.GetRequiredService<ConfigurationClient>();
        var time = services.GetRequiredService<TimeProvider>();
        var now = time.GetUtcNow();
        var status = client.Status;
        var reasons = new List<string>();

        // A degradation is reported but keeps the server ready: exchanges are still signed and logged.
        var degradations = new List<string>();
        if (!client.TryGetValid(now, out _))
        {
            reasons.Add(OutdatedGlobalConf);
        }

        object? messageLog = null;
        if (!initialised)
        {
            reasons.Add("server.not_initialised");
        }
        else if (token.Status != TokenStatus.LoggedIn)
        {
            reasons.Add($"server.token_not_active: the token is {TokenStatusName(token.Status)}; log in through the admin API or set SecurityServer:TokenPinFile");
        }
        else
        {
            var runtime = services.GetRequiredService<TokenRuntime>();
            var ocsp = services.GetRequiredService<OcspStatusManager>();
            if (runtime.Authentication is not { } authentication)
            {
                reasons.Add("server.auth_cert_not_active: no active authentication certificate in the token");
            }
            else if (client.Current is { } conf && services.GetRequiredService<LocalConfigurationStore>().Current is { } local
                && !conf.IsAuthenticationCertificateRegistered(local.ServerId, authentication.Certificate))
            {
                reasons.Add($"server.auth_cert_not_registered: the global configuration does not carry the authentication certificate {authentication.CertificateSha256} for {local.ServerId}");
            }

            foreach (var identity in token.GetSigningIdentities())
            {
                using (identity)
                {
                    if (!ocsp.IsGood(identity.Certificate, now))
                    {
                        reasons.Add($"server.clientproxy.cert_validation: the signing certificate of {identity.Member} has no good OCSP status");
                    }
                }
            }

            var log = services.GetRequiredService<MessageLogStore>();
            if (!log.IsWithinPeriod(now))
            {
                reasons.Add("server.clientproxy.timestamper_failed");
            }

            if (!await log.IsWritableAsync().ConfigureAwait(false))
            {
                reasons.Add("server.clientproxy.database_error");
            }

            var integrity = services.GetRequiredService<IntegrityMonitor>().Status;
            if (integrity is { State: IntegrityState.Failed, Finding: { } finding })
            {
                degradations.Add($"{IntegrityMonitor.ReadinessReason}: {finding.Item}: {finding.Message}");
            }

            messageLog = new
            {
                records = log.Count,
                integrity = integrity.State switch
                {
                    IntegrityState.Ok => "ok",
                    IntegrityState.Failed => "failed",
                    _ => "not_run",
                },
                backlog = log.Backlog,
                lastCheckpoint = log.LastCheckpoint,
                lastStampedCheckpoint = log.LastStampedCheckpoint,
                oldestUnstampedAt = log.OldestUnstampedAt,
            };
        }

        var ready = reasons.Count == 0;
        reasons.AddRange(degradations);
        var body = new
        {
            status = !ready ? "not_ready" : degradations.Count > 0 ? "degraded" : "ready",
            reasons,
            globalConfiguration = new
            {
                serial = status.Serial,
                generatedAt = status.GeneratedAt,
                validUntil = status.ValidUntil,
                lastSuccess = status.LastSuccess,
                lastAttempt = status.LastAttempt,
                lastError = status.LastError,
            },
            messageLog,
        };
        return Results.Json(body, statusCode: ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }

    private static string TokenStatusName(TokenStatus status) => status switch
    {
        TokenStatus.LoggedOut => "logged out",
        TokenStatus.LockedOut => "locked out after too many wrong PINs",
        TokenStatus.Uninitialised => "not initialised",
        _ => "logged in",
    };

    private static void Listen(KestrelServerOptions kestrel, string url, string? listener, Action<ListenOptions> configure)
    {
        var uri = new Uri(url);
        var address = uri.Host is "localhost" ? IPAddress.Loopback : uri.Host is "*" or "+" ? IPAddress.Any : IPAddress.Parse(uri.Host);
        kestrel.Listen(address, uri.Port, listen =>
        {
            listen.Protocols = HttpProtocols.Http1;
            if (listener is not null)
            {
                listen.Use(next => connection =>
                {
                    connection.Items[ListenerKey] = listener;
                    return next(connection);
                });
            }

            configure(listen);
        });
    }
}
