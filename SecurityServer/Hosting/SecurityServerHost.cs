using System.Net;
using ExchangeGateway.SecurityServer.Admin;
using ExchangeGateway.Config.Anchors;
using ExchangeGateway.Config.Client;
using ExchangeGateway.MessageLog.Storage;
using ExchangeGateway.SecurityServer.Exchange;
using ExchangeGateway.SecurityServer.Operations;
using ExchangeGateway.SecurityServer.Registry;
using ExchangeGateway.Signer.Keys;
using ExchangeGateway.Signer.Ocsp;
using ExchangeGateway.Signer.Signing;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Options;

namespace ExchangeGateway.SecurityServer.Hosting;

/// <summary>
/// Builds the security server application. <c>Program.cs</c> only calls this; tests call it with a
/// temporary data directory and a manual clock. An initialised server (keys from <c>init</c> and a
/// <c>serverconf.json</c>) listens on four ports: admin, client proxy (HTTP and HTTPS) and server proxy
/// (mutual TLS); an uninitialised one serves only the admin port and reports itself not ready.
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
        var keys = new SoftwareKeyStore(Path.Combine(settings.DataDirectory, "keys"));
        var authentication = Directory.Exists(keys.Directory) ? keys.LoadAuthenticationIdentity() : null;
        var initialised = authentication is not null && File.Exists(Path.Combine(settings.DataDirectory, LocalConfigurationStore.FileName));

        builder.Services.AddSingleton(TimeProvider.System);
        configure?.Invoke(builder);

        builder.WebHost.ConfigureKestrel((context, k) =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = 1024 * 1024; // The proxies lift it per request and enforce MaxBodyBytes themselves.
            k.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(15);
            Listen(k, adminUrl, null, _ => { });
            if (!initialised)
            {
                return;
            }

            var time = k.ApplicationServices.GetRequiredService<TimeProvider>();
            Listen(k, settings.ClientProxyUrl, ClientListener, _ => { });
            if (!string.IsNullOrEmpty(settings.ClientProxyTlsUrl))
            {
                var internalCert = InternalTlsCertificate.LoadOrCreate(settings.DataDirectory, time);
                Listen(k, settings.ClientProxyTlsUrl, ClientListener, listen => listen.UseHttps(new HttpsConnectionAdapterOptions
                {
                    ServerCertificate = internalCert,
                    ClientCertificateMode = ClientCertificateMode.AllowCertificate,

                    // IS certificates are matched by hash per client (IsAuthorization); weak ones are refused here.
                    ClientCertificateValidation = static (cert, _, _) => Common.Crypto.CryptoPolicy.CheckPublicKey(cert, "IS certificate").IsValid
                        && Common.Crypto.CryptoPolicy.CheckSignatureAlgorithm(cert.SignatureAlgorithm.Value, "IS certificate").IsValid,
                    SslProtocols = InterServerTls.Protocols,
                }));
            }

            Listen(k, settings.ServerProxyUrl, ServerListener, listen => listen.UseHttps(new HttpsConnectionAdapterOptions
            {
                ServerCertificate = authentication!.Certificate,
                ServerCertificateChain = [.. authentication.Chain],
                ClientCertificateMode = ClientCertificateMode.RequireCertificate,
                ClientCertificateValidation = (cert, chain, _) => k.ApplicationServices.GetRequiredService<PeerAuthenticator>().ValidateHandshake(cert, chain).IsValid,
                CheckCertificateRevocation = false,
                SslProtocols = InterServerTls.Protocols,
                HandshakeTimeout = TimeSpan.FromSeconds(10),
                OnAuthenticate = (_, ssl) => ssl.CipherSuitesPolicy = InterServerTls.CipherSuites,
            }));
        });

        builder.Services.AddOptions<SecurityServerOptions>()
            .Bind(builder.Configuration.GetSection(SecurityServerOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => File.Exists(o.AnchorPath), "SecurityServer:AnchorPath must name an existing anchor file")
            .ValidateOnStart();
        builder.Services.AddHttpClient(nameof(ConfigurationClient));
        builder.Services.AddHttpClient(nameof(AutoRegistration));
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
            return new ConfigurationClient(anchor.Value, http, new ConfigurationClientOptions { StorageDirectory = storage }, sp.GetRequiredService<TimeProvider>());
        });
        builder.Services.AddHostedService<GlobalConfigurationService>();
        builder.Services.AddServiceRegistry();
        builder.Services.AddExchangeMetrics();
        if (initialised)
        {
            ExchangeComponents.Add(builder.Services, authentication!, keys);
        }

        var app = builder.Build();
        if (initialised)
        {
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
        }

        app.MapGet("/health/live", () => Results.Text("live"));
        app.MapGet("/health/ready", (IServiceProvider services) => ReadinessAsync(services, initialised));
        app.MapMetrics();
        app.MapRegistryAdminApi();
        return app;
    }

    private static async Task<IResult> ReadinessAsync(IServiceProvider services, bool initialised)
    {
        var client = services.GetRequiredService<ConfigurationClient>();
        var time = services.GetRequiredService<TimeProvider>();
        var now = time.GetUtcNow();
        var status = client.Status;
        var reasons = new List<string>();
        if (!client.TryGetValid(now, out _))
        {
            reasons.Add(OutdatedGlobalConf);
        }

        object? messageLog = null;
        if (!initialised)
        {
            reasons.Add("server.not_initialised");
        }
        else
        {
            var signer = services.GetRequiredService<BatchingSigner>();
            var ocsp = services.GetRequiredService<OcspStatusManager>();
            var keys = services.GetRequiredService<SoftwareKeyStore>();
            foreach (var member in signer.Members)
            {
                using var identity = keys.LoadSigningIdentity(member);
                if (identity is null || !ocsp.IsGood(identity.Certificate, now))
                {
                    reasons.Add($"server.clientproxy.cert_validation: the signing certificate of {member} has no good OCSP status");
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

            messageLog = new
            {
                records = log.Count,
                backlog = log.Backlog,
                lastCheckpoint = log.LastCheckpoint,
                lastStampedCheckpoint = log.LastStampedCheckpoint,
                oldestUnstampedAt = log.OldestUnstampedAt,
            };
        }

        var body = new
        {
            status = reasons.Count == 0 ? "ready" : "not_ready",
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
        return Results.Json(body, statusCode: reasons.Count == 0 ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }

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
