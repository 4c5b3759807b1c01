using System.Text.Json;
using ExchangeGateway.Common.Identifiers;
using ExchangeGateway.Config.Client;
using ExchangeGateway.SecurityServer.Onboarding;
using ExchangeGateway.SecurityServer.Registry;
using ExchangeGateway.Signer.Enrolment;
using ExchangeGateway.Signer.Keys;
using ExchangeGateway.Signer.Tokens;

namespace ExchangeGateway.SecurityServer.Tests.Onboarding;

/// <summary>
/// One security server's onboarding parts, real and in-process: a software token enrolled at the dev CA
/// (authentication certificate saved, owner signing certificate registered), <c>serverconf.json</c> with the
/// given clients, a configuration client following the <see cref="OnboardingCentral"/>, and the service.
/// </summary>
public sealed class OnboardingNode : IDisposable
{
    public const string Pin = "Onboard-1234";

    private OnboardingNode(OnboardingCentral central, string data, SecurityServerId serverId, SoftwareToken token, string authCertificateId, string signingCertificateId, LocalConfigurationStore local, ConfigurationClient configuration, ManagementRequestLog log, OnboardingService onboarding)
    {
        Central = central;
        Data = data;
        ServerId = serverId;
        Token = token;
        AuthCertificateId = authCertificateId;
        SigningCertificateId = signingCertificateId;
        Local = local;
        Configuration = configuration;
        Log = log;
        Onboarding = onboarding;
    }

    public OnboardingCentral Central { get; }

    public string Data { get; }

    /// <summary>The server id it started with (an owner change moves <see cref="LocalConfigurationStore.Current"/> on).</summary>
    public SecurityServerId ServerId { get; }

    public SoftwareToken Token { get; }

    public string AuthCertificateId { get; }

    public string SigningCertificateId { get; }

    public LocalConfigurationStore Local { get; }

    public ConfigurationClient Configuration { get; }

    public ManagementRequestLog Log { get; }

    public OnboardingService Onboarding { get; }

    /// <summary>Builds a node. <paramref name="handler"/> sits in front of the management service (faults, forgeries).</summary>
    public static async Task<OnboardingNode> CreateAsync(
        OnboardingCentral central,
        string[] clients,
        HttpMessageHandler? handler = null,
        TimeSpan? requestTimeout = null,
        bool initialise = true,
        bool pollConfiguration = true)
    {
        var code = central.NextServerCode();
        var data = central.Directory.File(code);
        Directory.CreateDirectory(data);
        var serverId = new SecurityServerId(MemberId.Parse(OnboardingCentral.Owner), code);
        var token = new SoftwareToken(new SoftwareTokenOptions { Directory = Path.Combine(data, "keys"), Pbkdf2Iterations = 1000 });
        var initialised = token.Initialise(Pin);
        Assert.True(initialised.Success, initialised.Message);
        using (var http = central.Trust.CreateClient())
        {
            var enrolled = await TokenEnrolment.EnrolAsync(http, central.Trust.BaseAddress, token, serverId);
            Assert.True(enrolled.Success, enrolled.Message);
        }

        var certificates = token.Describe().Keys.SelectMany(k => k.Certificates).ToList();
        var auth = certificates.Single(c => c.Usage == KeyPurpose.Authentication);
        var signing = certificates.Single(c => c.Usage == KeyPurpose.Signing);
        Assert.Equal(CertificateState.Saved, auth.State);

        var local = new LocalConfigurationStore(data);
        if (initialise)
        {
            Assert.True(local.CreateIfAbsent(LocalConfiguration.Create(serverId, clients.Select(c => new LocalClient { Id = ClientId.Parse(c) }))));
        }

        var storage = Path.Combine(data, "globalconf");
        Directory.CreateDirectory(storage);
        var configuration = new ConfigurationClient(central.Anchor, new HttpClient(), new ConfigurationClientOptions { StorageDirectory = storage });
        if (pollConfiguration)
        {
            var polled = await configuration.PollOnceAsync();
            Assert.True(polled.IsValid, polled.Message);
        }

        var log = new ManagementRequestLog(Path.Combine(data, ManagementRequestLog.FileName));
        var onboarding = new OnboardingService(
            token,
            local,
            configuration,
            new HttpClient(handler ?? new HttpClientHandler()),
            log,
            new OnboardingOptions { PublicAddress = "127.0.0.1:5500", RequestTimeout = requestTimeout ?? TimeSpan.FromSeconds(30) },
            TimeProvider.System);
        return new OnboardingNode(central, data, serverId, token, auth.Id, signing.Id, local, configuration, log, onboarding);
    }

    public CertificateState AuthState => State(AuthCertificateId);

    public CertificateState State(string certificateId) =>
        Token.Describe().Keys.SelectMany(k => k.Certificates).Single(c => c.Id == certificateId).State;

    public ClientStatus Status(string client) => Local.Current!.FindClient(ClientId.Parse(client))!.Status;

    /// <summary>The <c>status</c> text of <paramref name="client"/> in <c>serverconf.json</c> on disk.</summary>
    public string? FileStatus(string client)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Local.FilePath));
        return doc.RootElement.GetProperty("clients").EnumerateArray().Single(c => c.GetProperty("id").GetString() == client).GetProperty("status").GetString();
    }

    /// <summary>Polls the Central Server and follows each configuration until <paramref name="condition"/> holds (at most 20 s).</summary>
    public async Task FollowUntilAsync(Func<bool> condition, string what)
    {
        for (var i = 0; i < 200; i++)
        {
            var polled = await Configuration.PollOnceAsync();
            if (polled.IsValid)
            {
                Onboarding.Follow(polled.Value);
            }

            if (condition())
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"Following the global configuration never reached: {what}");
    }

    /// <summary>Registers the authentication certificate, approves it and follows until it is registered.</summary>
    public async Task RegisterServerAsync()
    {
        var sent = await Onboarding.RegisterAuthenticationCertificateAsync(AuthCertificateId, null, CancellationToken.None);
        Assert.True(sent.Success, sent.Message);
        await Central.ApproveAsync(sent.RequestId!);
        await FollowUntilAsync(() => AuthState == CertificateState.Registered, "auth certificate registered");
    }

    /// <summary>Registers <paramref name="client"/>, approves it and follows until it is registered.</summary>
    public async Task RegisterClientAsync(string client)
    {
        var sent = await Onboarding.RegisterClientAsync(ClientId.Parse(client), CancellationToken.None);
        Assert.True(sent.Success, sent.Message);
        await Central.ApproveAsync(sent.RequestId!);
        await FollowUntilAsync(() => Status(client) == ClientStatus.Registered, $"{client} registered");
    }

    public void Dispose()
    {
        Onboarding.Dispose();
        Configuration.Dispose();
        Token.Dispose();
    }
}
