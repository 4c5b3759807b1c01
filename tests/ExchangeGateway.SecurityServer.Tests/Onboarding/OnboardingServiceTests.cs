using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ExchangeGateway.Common.Identifiers;
using ExchangeGateway.Config.Client;
using ExchangeGateway.SecurityServer.Hosting;
using ExchangeGateway.SecurityServer.Onboarding;
using ExchangeGateway.SecurityServer.Registry;
using ExchangeGateway.Signer.Tokens;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ExchangeGateway.SecurityServer.Tests.Onboarding;

/// <summary>
/// <see cref="OnboardingService"/> against a real Central Server and the dev CA: every request type sent, signed
/// in the token, approved by the officer, and followed to its end state; every refusal with its exact code and
/// nothing changed (token state, client status, the sent-requests log, the Central Server's requests).
/// </summary>
public sealed class OnboardingServiceTests(OnboardingCentral central) : IClassFixture<OnboardingCentral>
{
    private const string ClientA = OnboardingCentral.Owner + "/a";
    private const string ClientB = OnboardingCentral.Owner + "/b";
    private const string OtherClient = OnboardingCentral.OtherMember + "/a";

    [Fact]
    public async Task RegisterAuthenticationCertificate_AcceptedThenApproved_FollowMovesItToRegistered()
    {
        using var node = await OnboardingNode.CreateAsync(central, [ClientA]);

        var sent = await node.Onboarding.RegisterAuthenticationCertificateAsync(node.AuthCertificateId, null, CancellationToken.None);

        Assert.True(sent.Success, sent.Message);
        Assert.Equal("pending", sent.RequestState);
        Assert.Equal(CertificateState.RegistrationInProgress, node.AuthState);
        var stored = Assert.Single(await central.RequestsForAsync(node.ServerId.ToString()));
        Assert.Equal(sent.RequestId, stored.GetProperty("id").GetString());
        Assert.Equal("auth-cert-registration", stored.GetProperty("type").GetString());
        Assert.Equal(node.AuthCertificateId, stored.GetProperty("authCertificateHash").GetString());
        Assert.Equal("127.0.0.1:5500", stored.GetProperty("address").GetString());
        var logged = Assert.Single(node.Log.List());
        Assert.Equal((sent.RequestId, "auth-cert-registration", node.AuthCertificateId, "pending"), (logged.Id, logged.Type, logged.Target, logged.State));
        Assert.Null(logged.AppliedAt);

        // Not approved yet: following changes nothing.
        Assert.True((await node.Configuration.PollOnceAsync()).IsValid);
        node.Onboarding.Follow(node.Configuration.Current!);
        Assert.Equal(CertificateState.RegistrationInProgress, node.AuthState);

        await central.ApproveAsync(sent.RequestId!);
        await node.FollowUntilAsync(() => node.AuthState == CertificateState.Registered, "auth certificate registered");

        Assert.NotNull(Assert.Single(node.Log.List()).AppliedAt);
        var reopened = new ManagementRequestLog(node.Log.FilePath);
        Assert.Equal(node.Log.List(), reopened.List());
    }

    [Fact]
    public async Task RegisterAuthenticationCertificate_ForgedProofOfPossession_RejectedAndCertificateStaysSaved()
    {
        using var forger = await OnboardingNode.CreateAsync(central, []);
        var handler = new ForgingHandler(forger.Token, forger.AuthCertificateId) { InnerHandler = new HttpClientHandler() };
        using var node = await OnboardingNode.CreateAsync(central, [ClientA], handler);

        var sent = await node.Onboarding.RegisterAuthenticationCertificateAsync(node.AuthCertificateId, null, CancellationToken.None);

        Assert.True(handler.Forged);
        Assert.False(sent.Success);
        Assert.Equal(OnboardingErrors.CentralServerRejected, sent.Code);
        Assert.StartsWith("management.invalid_proof_of_possession:", sent.Message, StringComparison.Ordinal);
        Assert.Equal(CertificateState.Saved, node.AuthState);
        Assert.Empty(node.Log.List());
        Assert.False(File.Exists(node.Log.FilePath));
        Assert.Empty(await central.RequestsForAsync(node.ServerId.ToString()));
    }

    [Fact]
    public async Task RegisterAuthenticationCertificate_LocalRefusals_ExactCodesAndNothingChanged()
    {
        using var node = await OnboardingNode.CreateAsync(central, [ClientA]);

        var unknown = await node.Onboarding.RegisterAuthenticationCertificateAsync(new string('0', 64), null, CancellationToken.None);
        var signingCertificate = await node.Onboarding.RegisterAuthenticationCertificateAsync(node.SigningCertificateId, null, CancellationToken.None);
        var notRegistered = await node.Onboarding.UnregisterAuthenticationCertificateAsync(node.AuthCertificateId, CancellationToken.None);

        Assert.Equal(OnboardingErrors.NotFound, unknown.Code);
        Assert.Equal(OnboardingErrors.NotFound, signingCertificate.Code);
        Assert.Equal(OnboardingErrors.InvalidState, notRegistered.Code);

        // The owner's signing certificate deactivated: nothing can sign for the owner.
        Assert.True(node.Token.SetActive(node.SigningCertificateId, false).Success);
        var noSigner = await node.Onboarding.RegisterAuthenticationCertificateAsync(node.AuthCertificateId, null, CancellationToken.None);
        Assert.Equal(OnboardingErrors.NoSigningCertificate, noSigner.Code);
        Assert.True(node.Token.SetActive(node.SigningCertificateId, true).Success);

        node.Token.Logout();
        var loggedOut = await node.Onboarding.RegisterAuthenticationCertificateAsync(node.AuthCertificateId, null, CancellationToken.None);
        Assert.Equal(OnboardingErrors.TokenNotActive, loggedOut.Code);

        Assert.Equal(CertificateState.Saved, node.AuthState);
        Assert.Empty(node.Log.List());
        Assert.Empty(await central.RequestsForAsync(node.ServerId.ToString()));

        // Once accepted, a second registration is refused locally and sends nothing.
        Assert.True(node.Token.Login(OnboardingNode.Pin).Success);
        Assert.True((await node.Onboarding.RegisterAuthenticationCertificateAsync(node.AuthCertificateId, null, CancellationToken.None)).Success);
        var twice = await node.Onboarding.RegisterAuthenticationCertificateAsync(node.AuthCertificateId, null, CancellationToken.None);
        Assert.Equal(OnboardingErrors.InvalidState, twice.Code);
        Assert.Single(node.Log.List());
        Assert.Single(await central.RequestsForAsync(node.ServerId.ToString()));
    }

    [Fact]
    public async Task Send_NotInitialisedOrNoConfiguration_ExactCodesAndNothingSent()
    {
        using var bare = await OnboardingNode.CreateAsync(central, [], initialise: false);
        using var offline = await OnboardingNode.CreateAsync(central, [ClientA], pollConfiguration: false);

        var notInitialised = await bare.Onboarding.RegisterAuthenticationCertificateAsync(bare.AuthCertificateId, null, CancellationToken.None);
        var noConfiguration = await offline.Onboarding.RegisterAuthenticationCertificateAsync(offline.AuthCertificateId, null, CancellationToken.None);
        var noConfigurationClient = await offline.Onboarding.RegisterClientAsync(ClientId.Parse(ClientA), CancellationToken.None);

        Assert.Equal(OnboardingErrors.NotInitialised, notInitialised.Code);
        Assert.Equal(OnboardingErrors.NoGlobalConfiguration, noConfiguration.Code);
        Assert.Equal(OnboardingErrors.NoGlobalConfiguration, noConfigurationClient.Code);
        Assert.Equal(CertificateState.Saved, bare.AuthState);
        Assert.Equal(CertificateState.Saved, offline.AuthState);
        Assert.Equal(ClientStatus.Saved, offline.Status(ClientA));
        Assert.Empty(await central.RequestsForAsync(bare.ServerId.ToString()));
        Assert.Empty(await central.RequestsForAsync(offline.ServerId.ToString()));
    }

    [Fact]
    public async Task Send_CentralServerUnreachableOrSilent_UnreachableAndNothingChanged()
    {
        using var refused = await OnboardingNode.CreateAsync(central, [ClientA], new FaultHandler(hang: false));
        using var silent = await OnboardingNode.CreateAsync(central, [ClientA], new FaultHandler(hang: true), requestTimeout: TimeSpan.FromMilliseconds(300));

        var a = await refused.Onboarding.RegisterAuthenticationCertificateAsync(refused.AuthCertificateId, null, CancellationToken.None);
        var b = await silent.Onboarding.RegisterAuthenticationCertificateAsync(silent.AuthCertificateId, null, CancellationToken.None);

        Assert.Equal(OnboardingErrors.CentralServerUnreachable, a.Code);
        Assert.Equal(OnboardingErrors.CentralServerUnreachable, b.Code);
        Assert.Equal(CertificateState.Saved, refused.AuthState);
        Assert.Equal(CertificateState.Saved, silent.AuthState);
        Assert.Empty(refused.Log.List());
        Assert.Empty(silent.Log.List());
    }

    [Fact]
    public async Task ClientLifecycle_RegisterDisableEnableUnregister_EachFollowedToItsEndState()
    {
        using var node = await OnboardingNode.CreateAsync(central, [ClientA, ClientB]);
        await node.RegisterServerAsync();
        var client = ClientId.Parse(ClientA);

        var register = await node.Onboarding.RegisterClientAsync(client, CancellationToken.None);
        Assert.True(register.Success, register.Message);
        Assert.Equal(ClientStatus.RegistrationInProgress, node.Status(ClientA));
        Assert.Equal("registration-in-progress", node.FileStatus(ClientA));
        await central.ApproveAsync(register.RequestId!);
        await node.FollowUntilAsync(() => node.Status(ClientA) == ClientStatus.Registered, "registered");
        Assert.Equal("registered", node.FileStatus(ClientA));
        Assert.Equal(ClientStatus.Saved, node.Status(ClientB));
        Assert.Equal("saved", node.FileStatus(ClientB));

        var disable = await node.Onboarding.DisableClientAsync(client, CancellationToken.None);
        Assert.True(disable.Success, disable.Message);
        Assert.Equal("disabling-in-progress", node.FileStatus(ClientA));
        await central.ApproveAsync(disable.RequestId!);
        await node.FollowUntilAsync(() => node.Status(ClientA) == ClientStatus.Disabled, "disabled");
        Assert.True(node.Configuration.Current!.FindSecurityServer(node.ServerId)!.IsDisabled(client));
        Assert.Equal("disabled", node.FileStatus(ClientA));

        var enable = await node.Onboarding.EnableClientAsync(client, CancellationToken.None);
        Assert.True(enable.Success, enable.Message);
        Assert.Equal("enabling-in-progress", node.FileStatus(ClientA));
        await central.ApproveAsync(enable.RequestId!);
        await node.FollowUntilAsync(() => node.Status(ClientA) == ClientStatus.Registered, "enabled again");

        var unregister = await node.Onboarding.UnregisterClientAsync(client, CancellationToken.None);
        Assert.True(unregister.Success, unregister.Message);
        Assert.Equal("deletion-in-progress", node.FileStatus(ClientA));
        await central.ApproveAsync(unregister.RequestId!);
        await node.FollowUntilAsync(() => node.Status(ClientA) == ClientStatus.Saved, "deleted (saved)");
        Assert.Equal("saved", node.FileStatus(ClientA));

        var types = node.Log.List().Select(e => (e.Type, e.Target, Applied: e.AppliedAt is not null)).ToArray();
        Assert.Equal(
            new[]
            {
                ("auth-cert-registration", node.AuthCertificateId, true),
                ("client-registration", ClientA, true),
                ("client-disable", ClientA, true),
                ("client-enable", ClientA, true),
                ("client-deletion", ClientA, true),
            },
            types);
    }

    [Fact]
    public async Task ClientRequests_WrongStateOrUnknownClient_ExactCodesAndNothingChanged()
    {
        using var node = await OnboardingNode.CreateAsync(central, [ClientA]);
        await node.RegisterServerAsync();
        var before = (await central.RequestsForAsync(node.ServerId.ToString())).Count;
        var client = ClientId.Parse(ClientA);

        Assert.Equal(OnboardingErrors.NotFound, (await node.Onboarding.RegisterClientAsync(ClientId.Parse(ClientB), CancellationToken.None)).Code);
        Assert.Equal(OnboardingErrors.InvalidState, (await node.Onboarding.DisableClientAsync(client, CancellationToken.None)).Code);
        Assert.Equal(OnboardingErrors.InvalidState, (await node.Onboarding.EnableClientAsync(client, CancellationToken.None)).Code);
        Assert.Equal(OnboardingErrors.InvalidState, (await node.Onboarding.UnregisterClientAsync(client, CancellationToken.None)).Code);

        Assert.Equal(ClientStatus.Saved, node.Status(ClientA));
        Assert.Equal("saved", node.FileStatus(ClientA));
        Assert.Single(node.Log.List());
        Assert.Equal(before, (await central.RequestsForAsync(node.ServerId.ToString())).Count);

        await node.RegisterClientAsync(ClientA);
        Assert.Equal(OnboardingErrors.InvalidState, (await node.Onboarding.RegisterClientAsync(client, CancellationToken.None)).Code);
        Assert.Equal(OnboardingErrors.InvalidState, (await node.Onboarding.EnableClientAsync(client, CancellationToken.None)).Code);
        Assert.Equal(ClientStatus.Registered, node.Status(ClientA));
    }

    [Fact]
    public async Task Follow_RemovedAtTheCentralServer_GlobalErrorThenBackWhenListedAgain()
    {
        using var node = await OnboardingNode.CreateAsync(central, [ClientA]);
        await node.RegisterServerAsync();
        await node.RegisterClientAsync(ClientA);
        var server = Uri.EscapeDataString(node.ServerId.ToString());

        (await central.Admin.DeleteAsync($"security-servers/{server}/clients/{Uri.EscapeDataString(ClientA)}")).EnsureSuccessStatusCode();
        (await central.Admin.DeleteAsync($"security-servers/{server}/authentication-certificates/{node.AuthCertificateId}")).EnsureSuccessStatusCode();
        await node.FollowUntilAsync(() => node.Status(ClientA) == ClientStatus.GlobalError && node.AuthState == CertificateState.GlobalError, "global errors");
        Assert.Equal("global-error", node.FileStatus(ClientA));

        using var content = new StringContent(JsonSerializer.Serialize(new { hash = node.AuthCertificateId }), Encoding.UTF8, "application/json");
        (await central.Admin.PostAsync($"security-servers/{server}/authentication-certificates", content)).EnsureSuccessStatusCode();
        await node.FollowUntilAsync(() => node.AuthState == CertificateState.Registered, "auth certificate listed again");
    }

    [Fact]
    public async Task UnregisterAuthenticationCertificate_Approved_FollowMovesItToDeleted()
    {
        using var node = await OnboardingNode.CreateAsync(central, []);
        await node.RegisterServerAsync();

        var sent = await node.Onboarding.UnregisterAuthenticationCertificateAsync(node.AuthCertificateId, CancellationToken.None);

        Assert.True(sent.Success, sent.Message);
        Assert.Equal(CertificateState.DeletionInProgress, node.AuthState);
        var stored = (await central.RequestsForAsync(node.ServerId.ToString())).Single(r => r.GetProperty("id").GetString() == sent.RequestId);
        Assert.Equal("auth-cert-deletion", stored.GetProperty("type").GetString());
        await central.ApproveAsync(sent.RequestId!);
        await node.FollowUntilAsync(() => node.AuthState == CertificateState.Deleted, "auth certificate deleted");
        Assert.False(node.Configuration.Current!.IsAuthenticationCertificateRegistered(node.ServerId, Convert.FromHexString(node.AuthCertificateId)));
    }

    [Fact]
    public async Task ChangeAddress_Approved_ConfigurationCarriesTheNewAddress()
    {
        using var node = await OnboardingNode.CreateAsync(central, []);
        await node.RegisterServerAsync();

        var sent = await node.Onboarding.ChangeAddressAsync("ss-new.example.org:5500", CancellationToken.None);
        Assert.True(sent.Success, sent.Message);
        await central.ApproveAsync(sent.RequestId!);

        await node.FollowUntilAsync(() => node.Configuration.Current?.FindSecurityServer(node.ServerId)?.Address == "ss-new.example.org:5500", "new address");
        Assert.Equal(("address-change", "ss-new.example.org:5500"), (node.Log.List()[^1].Type, node.Log.List()[^1].Target));
    }

    [Fact]
    public async Task ChangeAddress_RefusedByTheCentralServer_RejectedWithItsCode()
    {
        using var node = await OnboardingNode.CreateAsync(central, []);
        await node.RegisterServerAsync();
        var before = node.Log.List().Count;

        var sent = await node.Onboarding.ChangeAddressAsync("not an address", CancellationToken.None);

        Assert.Equal(OnboardingErrors.CentralServerRejected, sent.Code);
        Assert.StartsWith("management.invalid_request:", sent.Message, StringComparison.Ordinal);
        Assert.Equal(before, node.Log.List().Count);
    }

    [Fact]
    public async Task ChangeOwner_NewOwnerWithRegisteredClientAndSigningCertificate_ServerIdFollows()
    {
        using var node = await OnboardingNode.CreateAsync(central, [ClientA, OtherClient]);
        await node.RegisterServerAsync();
        await node.RegisterClientAsync(ClientA);
        var newOwner = MemberId.Parse(OnboardingCentral.OtherMember);

        Assert.Equal(OnboardingErrors.InvalidState, (await node.Onboarding.ChangeOwnerAsync(node.ServerId.Owner, CancellationToken.None)).Code);
        Assert.Equal(OnboardingErrors.InvalidState, (await node.Onboarding.ChangeOwnerAsync(newOwner, CancellationToken.None)).Code);
        await node.RegisterClientAsync(OtherClient);
        Assert.Equal(OnboardingErrors.NoSigningCertificate, (await node.Onboarding.ChangeOwnerAsync(newOwner, CancellationToken.None)).Code);
        Assert.Equal(node.ServerId, node.Local.Current!.ServerId);
        Assert.DoesNotContain(node.Log.List(), e => e.Type == "owner-change");

        using (var http = central.Trust.CreateClient())
        {
            var enrolled = await Signer.Enrolment.TokenEnrolment.EnrolSigningAsync(http, central.Trust.BaseAddress, node.Token, newOwner);
            Assert.True(enrolled.Success, enrolled.Message);
        }

        var sent = await node.Onboarding.ChangeOwnerAsync(newOwner, CancellationToken.None);
        Assert.True(sent.Success, sent.Message);
        var stored = (await central.RequestsForAsync(node.ServerId.ToString())).Single(r => r.GetProperty("id").GetString() == sent.RequestId);
        Assert.Equal(OnboardingCentral.OtherMember, stored.GetProperty("newOwner").GetString());
        Assert.Equal(node.ServerId, node.Local.Current!.ServerId);
        await central.ApproveAsync(sent.RequestId!);

        var moved = new SecurityServerId(newOwner, node.ServerId.ServerCode);
        await node.FollowUntilAsync(() => node.Local.Current!.ServerId == moved, "server id moved to the new owner");
        Assert.Equal(CertificateState.Registered, node.AuthState);
        Assert.Equal(ClientStatus.Registered, node.Status(ClientA));
        Assert.Equal(ClientStatus.Registered, node.Status(OtherClient));
        var reloaded = new LocalConfigurationStore(node.Data);
        Assert.True(reloaded.Load().Success);
        Assert.Equal(moved, reloaded.Current!.ServerId);
        Assert.NotNull(node.Log.List().Single(e => e.Type == "owner-change").AppliedAt);
    }

    [Fact]
    public async Task AddOnboarding_HostedFollower_CompletesStatesWithoutAnyoneCallingFollow()
    {
        using var node = await OnboardingNode.CreateAsync(central, [ClientA]);
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(node.Token);
        services.AddSingleton(node.Local);
        services.AddSingleton(node.Configuration);
        services.AddSingleton(Options.Create(new SecurityServerOptions { DataDirectory = node.Data, PublicAddress = "127.0.0.1:5599" }));
        services.AddOnboarding();
        await using var provider = services.BuildServiceProvider();
        var hosted = provider.GetServices<IHostedService>().ToList();
        foreach (var service in hosted)
        {
            await service.StartAsync(CancellationToken.None);
        }

        try
        {
            var onboarding = provider.GetRequiredService<IOnboarding>();
            var sent = await onboarding.RegisterAuthenticationCertificateAsync(node.AuthCertificateId, null, CancellationToken.None);
            Assert.True(sent.Success, sent.Message);
            Assert.Equal("127.0.0.1:5599", (await central.RequestsForAsync(node.ServerId.ToString())).Single().GetProperty("address").GetString());
            await central.ApproveAsync(sent.RequestId!);

            for (var i = 0; i < 200 && node.AuthState != CertificateState.Registered; i++)
            {
                // Only fetch: the hosted follower has to notice the new configuration by itself.
                await node.Configuration.PollOnceAsync();
                await Task.Delay(100);
            }

            Assert.Equal(CertificateState.Registered, node.AuthState);
            Assert.Equal(Path.Combine(node.Data, ManagementRequestLog.FileName), provider.GetRequiredService<ManagementRequestLog>().FilePath);
            Assert.Single(provider.GetRequiredService<ManagementRequestLog>().List());
        }
        finally
        {
            foreach (var service in hosted)
            {
                await service.StopAsync(CancellationToken.None);
            }
        }
    }

    /// <summary>Replaces the proof of possession with a signature by another server's authentication key.</summary>
    private sealed class ForgingHandler(SoftwareToken forger, string forgerCertificateId) : DelegatingHandler
    {
        public bool Forged { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var envelope = JsonNode.Parse(await request.Content!.ReadAsStringAsync(cancellationToken))!.AsObject();
            var bytes = Convert.FromBase64String(envelope["request"]!.GetValue<string>());
            var forged = forger.SignCms(forgerCertificateId, bytes, DateTimeOffset.UtcNow);
            Assert.True(forged.Success, forged.Message);
            envelope["authSignature"] = Convert.ToBase64String(forged.Value);
            Forged = true;
            request.Content = new StringContent(envelope.ToJsonString(), Encoding.UTF8, "application/json");
            return await base.SendAsync(request, cancellationToken);
        }
    }

    /// <summary>A management service that is down (connection refused) or never answers.</summary>
    private sealed class FaultHandler(bool hang) : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (hang)
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            throw new HttpRequestException("Connection refused (test)", null, HttpStatusCode.ServiceUnavailable);
        }
    }
}
