using ExchangeGateway.Config.Client;
using ExchangeGateway.Config.Model;
using ExchangeGateway.MessageLog.Archiving;
using ExchangeGateway.MessageLog.Integration;
using ExchangeGateway.MessageLog.Storage;
using ExchangeGateway.MessageLog.Search;
using ExchangeGateway.SecurityServer.Admin;
using ExchangeGateway.SecurityServer.Auditing;
using ExchangeGateway.SecurityServer.Backup;
using ExchangeGateway.SecurityServer.Evidence;
using ExchangeGateway.SecurityServer.Exchange;
using ExchangeGateway.SecurityServer.Onboarding;
using ExchangeGateway.SecurityServer.Registry;
using ExchangeGateway.Signer.Tokens;
using ExchangeGateway.Signer.Ocsp;
using ExchangeGateway.Signer.Signing;
using Microsoft.Extensions.Options;
using MessageLogSync = ExchangeGateway.MessageLog.Storage.MessageLogSynchronous;

namespace ExchangeGateway.SecurityServer.Hosting;

/// <summary>
/// Registers the exchange: token, Signer, message log, trust context, both proxies. Registered on every
/// server, initialised or not: what the token and <c>serverconf.json</c> hold decides at run time what works.
/// </summary>
internal static class ExchangeComponents
{
    public static void Add(IServiceCollection services)
    {
        services.AddSingleton(sp => new SoftwareToken(
            new SoftwareTokenOptions { Directory = Path.Combine(sp.GetRequiredService<IOptions<SecurityServerOptions>>().Value.DataDirectory, "keys") },
            sp.GetRequiredService<TimeProvider>()));
        services.AddHttpClient(nameof(OcspStatusManager));
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<SecurityServerOptions>>().Value;
            var configuration = sp.GetRequiredService<ConfigurationClient>();
            return new OcspStatusManager(
                sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(OcspStatusManager)),
                new OcspStatusManagerOptions
                {
                    StorageDirectory = Path.Combine(options.DataDirectory, "ocsp"),
                    Responders = (_, chain) => configuration.Current is { } conf ? OcspResponderSelection.FromConfiguration(conf, chain) : OcspResponderSelection.None,
                    Freshness = () => configuration.Current?.Settings.OcspFreshness ?? TimeSpan.FromMinutes(20),
                },
                sp.GetRequiredService<TimeProvider>());
        });
        services.AddSingleton(sp => new BatchingSigner(sp.GetRequiredService<OcspStatusManager>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new TokenRuntime(
            sp.GetRequiredService<SoftwareToken>(),
            sp.GetRequiredService<BatchingSigner>(),
            sp.GetRequiredService<OcspStatusManager>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptions<SecurityServerOptions>>().Value.DataDirectory,
            sp.GetRequiredService<ILogger<TokenRuntime>>()));
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<SecurityServerOptions>>().Value;
            var configuration = sp.GetRequiredService<ConfigurationClient>();
            return MessageLogStore.Open(
                new MessageLogOptions
                {
                    DatabasePath = Path.Combine(options.DataDirectory, "messagelog.db"),
                    Synchronous = Enum.Parse<MessageLogSync>(options.MessageLogSynchronous, ignoreCase: true),
                    TimeStampFailurePeriod = () => configuration.Current?.Settings.AcceptableTimeStampFailurePeriod ?? TimeSpan.FromHours(4),
                    ArchiveDirectory = options.MessageLog.ArchiveDirectoryIn(options.DataDirectory),
                    // Recipients whose private key is here also read archived bodies back.
                    ArchiveDecryptionCertificates = [.. options.MessageLog.LoadEncryptionCertificates().Where(c => c.HasPrivateKey)],
                },
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILoggerFactory>().CreateLogger("ExchangeGateway.MessageLog"));
        });
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<SecurityServerOptions>>().Value;
            var configuration = sp.GetRequiredService<ConfigurationClient>();
            var signer = sp.GetRequiredService<BatchingSigner>();
            var owner = OwnerOf(sp); // resolved by the background service only once serverconf.json exists
            var selection = sp.GetRequiredService<TimestampingSelection>();
            return new LogIntegrator(
                sp.GetRequiredService<MessageLogStore>(),
                new LogIntegratorOptions { ServerId = owner, CheckpointInterval = options.CheckpointInterval, TsaTimeout = LogReceipts.StampingAllowance },
                async (bytes, ct) =>
                {
                    var signed = await signer.SignDetachedAsync(owner.Owner, bytes, ct).ConfigureAwait(false);
                    return signed.IsSuccess ? signed.Cms! : throw new InvalidOperationException($"The checkpoint cannot be signed: {signed.Message}");
                },
                () => Tsas(configuration.Current, selection.Names),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILoggerFactory>().CreateLogger("ExchangeGateway.MessageLog.Integrator"));
        });
        services.AddSingleton(sp => MessageLogSearch.Open(sp.GetRequiredService<MessageLogStore>().DatabasePath, TimeSpan.FromSeconds(5)));
        services.AddSingleton<IntegrityMonitor>();
        services.AddSingleton(sp => new GlobalConfigurationHistory(
            sp.GetRequiredService<IOptions<SecurityServerOptions>>().Value.DataDirectory,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<GlobalConfigurationHistory>>()));
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<SecurityServerOptions>>().Value;
            var signer = sp.GetRequiredService<BatchingSigner>();
            var owner = OwnerOf(sp); // resolved once serverconf.json exists: archives are signed by the owner, like checkpoints
            return new MessageLogArchiver(
                sp.GetRequiredService<MessageLogStore>(),
                new ArchiverOptions
                {
                    ServerId = owner,
                    ArchiveAfter = options.MessageLog.ArchiveAfter,
                    BodyRetention = options.MessageLog.BodyRetention,
                    EncryptionCertificates = options.MessageLog.LoadEncryptionCertificates(),
                    Interval = options.MessageLog.RetentionInterval,
                },
                async (bytes, ct) =>
                {
                    var signed = await signer.SignDetachedAsync(owner.Owner, bytes, ct).ConfigureAwait(false);
                    return signed.IsSuccess ? signed.Cms! : throw new InvalidOperationException(signed.Message);
                },
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILoggerFactory>().CreateLogger("ExchangeGateway.MessageLog.Archiver"));
        });
        services.AddHostedService<MessageLogRetentionService>();
        services.AddSingleton(sp => new ReplayCache(sp.GetRequiredService<IOptions<SecurityServerOptions>>().Value.ReplayWindow));
        services.AddSingleton<TrustContextProvider>();
        services.AddSingleton<PeerAuthenticator>();
        services.AddSingleton(sp =>
        {
            var runtime = sp.GetRequiredService<TokenRuntime>();
            return new OwnIdentity(() => runtime.Authentication, sp.GetRequiredService<OcspStatusManager>());
        });
        services.AddSingleton<ExchangeRecorder>();
        services.AddSingleton<ExchangeResponder>();
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<SecurityServerOptions>>().Value;
            var runtime = sp.GetRequiredService<TokenRuntime>();
            return new PeerClient(() => runtime.Authentication, sp.GetRequiredService<PeerAuthenticator>(), sp.GetRequiredService<TrustContextProvider>(), options.MaxBodyBytes, options.PeerConnectTimeout, options.PeerTimeout);
        });
        services.AddSingleton(sp => new ProviderForwarder(sp.GetRequiredService<IOptions<SecurityServerOptions>>().Value.MaxBodyBytes));
        services.AddSingleton<ClientExchangeSteps>();
        services.AddSingleton<SoapClientProxy>();
        services.AddSingleton<ClientProxy>();
        services.AddSingleton<ServerExchangeSteps>();
        services.AddSingleton<ServerMetaservices>();
        services.AddSingleton<SoapServerProxy>();
        services.AddSingleton<ServerProxy>();
        services.AddOnboarding();
        services.AddBackups();
        services.AddWitnessing();
        services.AddSingleton<AutoRegistration>();
        services.AddHostedService<ExchangeBackgroundService>();
    }

    private static Common.Identifiers.SecurityServerId OwnerOf(IServiceProvider sp) =>
        sp.GetRequiredService<LocalConfigurationStore>().Current?.ServerId
        ?? throw new InvalidOperationException("serverconf.json is missing: run init first.");

    // One parsed list per configuration snapshot: the integrator asks on every attempt.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<GlobalConfiguration, List<(string Name, TsaEndpoint Endpoint)>> TsaLists = [];

    // The TSAs the integrator tries, in order (TimestampingSelection.Effective).
    private static List<TsaEndpoint> Tsas(GlobalConfiguration? configuration, IReadOnlyList<string> selected)
    {
        if (configuration is null)
        {
            return [];
        }

        var approved = TsaLists.GetValue(configuration, static c => [.. c.ApprovedTsas.Select(t => (t.Name, new TsaEndpoint(new Uri(t.Url), t.LoadCertificate())))]);
        return [.. TimestampingSelection.Effective(approved, t => t.Name, selected).Select(t => t.Endpoint)];
    }
}
