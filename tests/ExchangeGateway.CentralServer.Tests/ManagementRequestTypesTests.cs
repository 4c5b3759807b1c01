using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using ExchangeGateway.CentralServer.Tests.Support;
using ExchangeGateway.Common.Identifiers;
using ExchangeGateway.Config.Anchors;
using ExchangeGateway.Config.Client;
using ExchangeGateway.Config.Management;
using ExchangeGateway.Config.Serialization;
using ExchangeGateway.Testing.Pki;
using ExchangeGateway.Testing.Time;
using ExchangeGateway.Testing.Tools;

namespace ExchangeGateway.CentralServer.Tests;

/// <summary>
/// The management requests issue #6 added: <c>auth-cert-deletion</c>, <c>client-disable</c>, <c>client-enable</c>
/// and <c>owner-change</c>, each received, approved (by an officer and by auto-approval), applied and published,
/// and each bad input refused with its exact code while nothing changes.
/// </summary>
public sealed class ManagementRequestTypesTests : IAsyncLifetime
{
    private static readonly SecurityServerId Server = SecurityServerId.Parse("EE/GOV/M1/ss1");
    private static readonly SecurityServerId MovedServer = SecurityServerId.Parse("EE/GOV/M2/ss1");
    private static readonly ClientId Subsystem = ClientId.Parse("EE/GOV/M1/sub");
    private static readonly ClientId OtherSubsystem = ClientId.Parse("EE/GOV/M2/sub");
    private static readonly MemberId M2 = MemberId.Parse("EE/GOV/M2");

    private readonly TempDirectory _dir = new();
    private readonly ManualTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly int _port = FreePort();
    private TestPki _pki = null!;
    private X509Certificate2 _ownerSigning = null!;
    private X509Certificate2 _m2Signing = null!;
    private X509Certificate2 _auth = null!;
    private CentralServerInstance _server = null!;
    private HttpClient _admin = null!;
    private HttpClient _officer = null!;

    public async Task InitializeAsync()
    {
        _pki = TestPki.Create(_time);
        _ownerSigning = _pki.IssueSigning("EE", "GOV", "M1");
        _m2Signing = _pki.IssueSigning("EE", "GOV", "M2");
        _auth = _pki.IssueAuthentication("EE", "GOV", "M1", "ss1");
        _server = await StartServerAsync(_dir.File("central"), _port);
        _admin = _server.Client(_server.AdminKey);
        _officer = _server.Client(await _admin.CreateKey("officer", "registration-officer"));
        await SeedAsync(_admin);
    }

    public async Task DisposeAsync()
    {
        _officer.Dispose();
        _admin.Dispose();
        await _server.DisposeAsync();
        _ownerSigning.Dispose();
        _m2Signing.Dispose();
        _auth.Dispose();
        _pki.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task AuthCertDeletion_ByHash_PendingThenApprovedAndGoneFromConfiguration()
    {
        await RegisterServerAsync();
        using var client = await NewClientAsync();
        await PollUntilAsync(client, c => c.IsAuthenticationCertificateRegistered(Server, Convert.FromHexString(AuthHash())));

        var request = ManagementRequestBuilder.AuthCertDeletion(Guid.NewGuid(), _time.GetUtcNow(), Server, AuthHash());
        var accepted = await (await SendAsync(OwnerSigned(request))).Expect(HttpStatusCode.Accepted);
        Assert.Equal("pending", accepted.GetProperty("state").GetString());
        var id = accepted.GetProperty("id").GetString()!;
        var stored = await (await _officer.GetAsync($"api/v1/management-requests/{id}")).Expect(HttpStatusCode.OK);
        Assert.Equal("auth-cert-deletion", stored.GetProperty("type").GetString());
        Assert.Equal(AuthHash(), stored.GetProperty("authCertificateHash").GetString());
        Assert.Contains(AuthHash(), await ServerHashesAsync(Server));

        await ApproveAsync(id);

        Assert.DoesNotContain(AuthHash(), await ServerHashesAsync(Server));
        var config = await PollUntilAsync(client, c => !c.IsAuthenticationCertificateRegistered(Server, Convert.FromHexString(AuthHash())));
        Assert.NotNull(config.FindSecurityServer(Server));
    }

    [Fact]
    public async Task AuthCertDeletion_ByWholeCertificate_StoresItsHashAndRemovesIt()
    {
        await RegisterServerAsync();

        var request = ManagementRequestBuilder.AuthCertDeletion(Guid.NewGuid(), _time.GetUtcNow(), Server, _auth.RawData.AsSpan());
        var id = await AcceptedIdAsync(OwnerSigned(request));
        var stored = await (await _officer.GetAsync($"api/v1/management-requests/{id}")).Expect(HttpStatusCode.OK);
        Assert.Equal(AuthHash(), stored.GetProperty("authCertificateHash").GetString());

        await ApproveAsync(id);

        Assert.Empty(await ServerHashesAsync(Server));
    }

    [Fact]
    public async Task AuthCertDeletion_WrongFields_InvalidRequestAndNothingStored()
    {
        await RegisterServerAsync();
        var before = await RequestCountAsync();
        var cert = Convert.ToBase64String(_auth.RawData);
        string[] bad =
        [
            $"\"authCertificateHash\":\"{AuthHash()}\",\"authCertificate\":\"{cert}\"",
            string.Empty,
            $"\"authCertificateHash\":\"{AuthHash().ToUpperInvariant()}\"",
            $"\"authCertificateHash\":\"{AuthHash()[..62]}\"",
            $"\"authCertificateHash\":\"{new string('g', 64)}\"",
            $"\"authCertificateHash\":\"{AuthHash()}\",\"clientId\":\"{Subsystem}\"",
            $"\"authCertificateHash\":\"{AuthHash()}\",\"address\":\"ss1.example.org\"",
            "\"authCertificate\":\"not base64!\"",
        ];

        foreach (var fields in bad)
        {
            var request = Raw("auth-cert-deletion", Server, fields);
            await (await SendAsync(OwnerSigned(request))).Expect(HttpStatusCode.BadRequest, "management.invalid_request");
        }

        // A proof of possession belongs to registrations only.
        var deletion = ManagementRequestBuilder.AuthCertDeletion(Guid.NewGuid(), _time.GetUtcNow(), Server, AuthHash());
        await (await SendAsync(ManagementRequestBuilder.SignedEnvelope(deletion, _ownerSigning, _auth, _time.GetUtcNow()))).Expect(HttpStatusCode.BadRequest, "management.invalid_request");

        Assert.Equal(before, await RequestCountAsync());
        Assert.Contains(AuthHash(), await ServerHashesAsync(Server));
    }

    [Fact]
    public async Task AuthCertDeletion_SignedByAnotherMember_WrongOwnerAndNothingStored()
    {
        await RegisterServerAsync();
        var before = await RequestCountAsync();
        var request = ManagementRequestBuilder.AuthCertDeletion(Guid.NewGuid(), _time.GetUtcNow(), Server, AuthHash());

        await (await SendAsync(ManagementRequestBuilder.SignedEnvelope(request, _m2Signing, null, _time.GetUtcNow()))).Expect(HttpStatusCode.BadRequest, "management.wrong_owner");

        Assert.Equal(before, await RequestCountAsync());
        Assert.Contains(AuthHash(), await ServerHashesAsync(Server));
    }

    [Fact]
    public async Task AuthCertDeletion_CertificateNotOnServer_ApprovalNotFoundAndStaysPending()
    {
        await RegisterServerAsync();
        using var other = _pki.IssueAuthentication("EE", "GOV", "M1", "other");
        var request = ManagementRequestBuilder.AuthCertDeletion(Guid.NewGuid(), _time.GetUtcNow(), Server, other.RawData.AsSpan());
        var id = await AcceptedIdAsync(OwnerSigned(request));

        await (await _officer.PostAsync($"api/v1/management-requests/{id}/approve", null)).Expect(HttpStatusCode.NotFound, "registry.not_found");

        Assert.Equal("pending", await StateAsync(id));
        Assert.Equal(new[] { AuthHash() }, await ServerHashesAsync(Server));
    }

    [Fact]
    public async Task ClientDisableThenEnable_Approved_PublishedAsDisabledThenCleared()
    {
        await RegisterServerAsync();
        await ApproveAsync(await AcceptedIdAsync(OwnerSigned(ManagementRequestBuilder.ClientRegistration(Guid.NewGuid(), _time.GetUtcNow(), Server, Subsystem))));
        using var client = await NewClientAsync();
        await PollUntilAsync(client, c => c.FindSecurityServer(Server)?.Clients.Contains(Subsystem) == true);

        var disable = await AcceptedIdAsync(OwnerSigned(ManagementRequestBuilder.ClientDisable(Guid.NewGuid(), _time.GetUtcNow(), Server, Subsystem)));
        var stored = await (await _officer.GetAsync($"api/v1/management-requests/{disable}")).Expect(HttpStatusCode.OK);
        Assert.Equal("client-disable", stored.GetProperty("type").GetString());
        Assert.Equal(Subsystem.ToString(), stored.GetProperty("clientId").GetString());
        Assert.Empty(await DisabledAsync(Server));
        await ApproveAsync(disable);

        Assert.Equal(new[] { Subsystem.ToString() }, await DisabledAsync(Server));
        var disabled = await PollUntilAsync(client, c => c.FindSecurityServer(Server)?.IsDisabled(Subsystem) == true);
        Assert.Contains(Subsystem, disabled.FindSecurityServer(Server)!.Clients);
        Assert.Contains("\"disabledClients\":[\"EE/GOV/M1/sub\"]", Encoding.UTF8.GetString(GlobalConfigurationSerializer.Write(disabled)), StringComparison.Ordinal);

        var enable = await AcceptedIdAsync(OwnerSigned(ManagementRequestBuilder.ClientEnable(Guid.NewGuid(), _time.GetUtcNow(), Server, Subsystem)));
        Assert.Equal("client-enable", (await (await _officer.GetAsync($"api/v1/management-requests/{enable}")).Expect(HttpStatusCode.OK)).GetProperty("type").GetString());
        await ApproveAsync(enable);

        Assert.Empty(await DisabledAsync(Server));
        var enabled = await PollUntilAsync(client, c => c.FindSecurityServer(Server) is { } s && !s.IsDisabled(Subsystem));
        Assert.Contains(Subsystem, enabled.FindSecurityServer(Server)!.Clients);
        Assert.DoesNotContain("disabledClients", Encoding.UTF8.GetString(GlobalConfigurationSerializer.Write(enabled)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClientDisable_ClientNotHosted_ApprovalNotFoundAndStaysPending()
    {
        await RegisterServerAsync();
        var id = await AcceptedIdAsync(OwnerSigned(ManagementRequestBuilder.ClientDisable(Guid.NewGuid(), _time.GetUtcNow(), Server, Subsystem)));

        await (await _officer.PostAsync($"api/v1/management-requests/{id}/approve", null)).Expect(HttpStatusCode.NotFound, "registry.not_found");

        Assert.Equal("pending", await StateAsync(id));
        Assert.Empty(await DisabledAsync(Server));
    }

    [Fact]
    public async Task ClientEnableAndDisable_AlreadyInThatState_ApprovalConflictAndStaysPending()
    {
        await RegisterServerAsync();
        await ApproveAsync(await AcceptedIdAsync(OwnerSigned(ManagementRequestBuilder.ClientRegistration(Guid.NewGuid(), _time.GetUtcNow(), Server, Subsystem))));

        var enable = await AcceptedIdAsync(OwnerSigned(ManagementRequestBuilder.ClientEnable(Guid.NewGuid(), _time.GetUtcNow(), Server, Subsystem)));
        await (await _officer.PostAsync($"api/v1/management-requests/{enable}/approve", null)).Expect(HttpStatusCode.Conflict, "registry.conflict");
        Assert.Equal("pending", await StateAsync(enable));
        Assert.Empty(await DisabledAsync(Server));

        await ApproveAsync(await AcceptedIdAsync(OwnerSigned(ManagementRequestBuilder.ClientDisable(Guid.NewGuid(), _time.GetUtcNow(), Server, Subsystem))));
        var again = await AcceptedIdAsync(OwnerSigned(ManagementRequestBuilder.ClientDisable(Guid.NewGuid(), _time.GetUtcNow(), Server, Subsystem)));
        await (await _officer.PostAsync($"api/v1/management-requests/{again}/approve", null)).Expect(HttpStatusCode.Conflict, "registry.conflict");
        Assert.Equal("pending", await StateAsync(again));
        Assert.Equal(new[] { Subsystem.ToString() }, await DisabledAsync(Server));
    }

    [Fact]
    public async Task ClientDisableAndEnable_WrongFields_InvalidRequestAndNothingStored()
    {
        var before = await RequestCountAsync();
        foreach (var type in new[] { "client-disable", "client-enable" })
        {
            foreach (var fields in new[]
            {
                string.Empty,
                "\"clientId\":\"EE/GOV/M1/sub\",\"address\":\"ss1.example.org\"",
                "\"clientId\":\"EE/GOV/M1/sub\",\"newOwner\":\"EE/GOV/M2\"",
                "\"clientId\":\"XX/GOV/M1/sub\"",
                "\"clientId\":\"EE/GOV\"",
            })
            {
                await (await SendAsync(OwnerSigned(Raw(type, Server, fields)))).Expect(HttpStatusCode.BadRequest, "management.invalid_request");
            }
        }

        var otherOwner = ManagementRequestBuilder.ClientDisable(Guid.NewGuid(), _time.GetUtcNow(), Server, Subsystem);
        await (await SendAsync(ManagementRequestBuilder.SignedEnvelope(otherOwner, _m2Signing, null, _time.GetUtcNow()))).Expect(HttpStatusCode.BadRequest, "management.wrong_owner");
        Assert.Equal(before, await RequestCountAsync());
    }

    [Fact]
    public async Task OwnerChange_SignedByNewOwnerWhoIsAClient_ServerMovesToTheNewOwner()
    {
        await RegisterServerAsync();
        await ApproveAsync(await AcceptedIdAsync(OwnerSigned(ManagementRequestBuilder.ClientRegistration(Guid.NewGuid(), _time.GetUtcNow(), Server, OtherSubsystem))));
        await ApproveAsync(await AcceptedIdAsync(OwnerSigned(ManagementRequestBuilder.ClientRegistration(Guid.NewGuid(), _time.GetUtcNow(), Server, Subsystem))));
        await ApproveAsync(await AcceptedIdAsync(OwnerSigned(ManagementRequestBuilder.ClientDisable(Guid.NewGuid(), _time.GetUtcNow(), Server, Subsystem))));
        using var client = await NewClientAsync();

        var request = ManagementRequestBuilder.OwnerChange(Guid.NewGuid(), _time.GetUtcNow(), Server, M2);
        var id = await AcceptedIdAsync(ManagementRequestBuilder.SignedEnvelope(request, _m2Signing, null, _time.GetUtcNow()));
        var stored = await (await _officer.GetAsync($"api/v1/management-requests/{id}")).Expect(HttpStatusCode.OK);
        Assert.Equal("owner-change", stored.GetProperty("type").GetString());
        Assert.Equal("EE/GOV/M2", stored.GetProperty("newOwner").GetString());
        Assert.Equal(Server.ToString(), stored.GetProperty("serverId").GetString());
        await ApproveAsync(id);

        Assert.Equal(HttpStatusCode.NotFound, (await _admin.GetAsync($"api/v1/security-servers/{ApiClient.Enc(Server.ToString())}")).StatusCode);
        var moved = await (await _admin.GetAsync($"api/v1/security-servers/{ApiClient.Enc(MovedServer.ToString())}")).Expect(HttpStatusCode.OK);
        Assert.Equal("EE/GOV/M2", moved.GetProperty("owner").GetString());
        Assert.Equal("ss1.example.org", moved.GetProperty("address").GetString());
        Assert.Equal(new[] { AuthHash() }, moved.GetProperty("authenticationCertificateHashes").EnumerateArray().Select(e => e.GetString()!).ToArray());
        Assert.Equal(new[] { Subsystem.ToString(), OtherSubsystem.ToString() }, moved.GetProperty("clients").EnumerateArray().Select(e => e.GetString()!).ToArray());
        Assert.Equal(new[] { Subsystem.ToString() }, moved.GetProperty("disabledClients").EnumerateArray().Select(e => e.GetString()!).ToArray());

        var config = await PollUntilAsync(client, c => c.FindSecurityServer(MovedServer) is not null);
        Assert.Null(config.FindSecurityServer(Server));
        Assert.True(config.IsAuthenticationCertificateRegistered(MovedServer, Convert.FromHexString(AuthHash())));
        Assert.True(config.FindSecurityServer(MovedServer)!.IsDisabled(Subsystem));
    }

    [Fact]
    public async Task OwnerChange_SignedByTheCurrentOwner_WrongOwnerAndNothingStored()
    {
        await RegisterServerAsync();
        var before = await RequestCountAsync();
        var request = ManagementRequestBuilder.OwnerChange(Guid.NewGuid(), _time.GetUtcNow(), Server, M2);

        await (await SendAsync(OwnerSigned(request))).Expect(HttpStatusCode.BadRequest, "management.wrong_owner");

        Assert.Equal(before, await RequestCountAsync());
        await (await _admin.GetAsync($"api/v1/security-servers/{ApiClient.Enc(Server.ToString())}")).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task OwnerChange_BadNewOwner_InvalidRequestAndNothingStored()
    {
        var before = await RequestCountAsync();
        foreach (var fields in new[]
        {
            "\"newOwner\":\"EE/GOV/M1\"",
            "\"newOwner\":\"EE/GOV/M2/sub\"",
            "\"newOwner\":\"XX/GOV/M2\"",
            "\"newOwner\":\"EE/GOV\"",
            string.Empty,
            "\"newOwner\":\"EE/GOV/M2\",\"clientId\":\"EE/GOV/M2/sub\"",
        })
        {
            await (await SendAsync(ManagementRequestBuilder.SignedEnvelope(Raw("owner-change", Server, fields), _m2Signing, null, _time.GetUtcNow())))
                .Expect(HttpStatusCode.BadRequest, "management.invalid_request");
        }

        // newOwner belongs to owner-change only.
        await (await SendAsync(OwnerSigned(Raw("address-change", Server, "\"address\":\"x.example.org\",\"newOwner\":\"EE/GOV/M2\"")))).Expect(HttpStatusCode.BadRequest, "management.invalid_request");
        Assert.Equal(before, await RequestCountAsync());
    }

    [Fact]
    public async Task OwnerChange_NewOwnerNotAClientOfTheServer_ApprovalInvalidReferenceAndNothingMoves()
    {
        await RegisterServerAsync();
        var request = ManagementRequestBuilder.OwnerChange(Guid.NewGuid(), _time.GetUtcNow(), Server, M2);
        var id = await AcceptedIdAsync(ManagementRequestBuilder.SignedEnvelope(request, _m2Signing, null, _time.GetUtcNow()));

        await (await _officer.PostAsync($"api/v1/management-requests/{id}/approve", null)).Expect(HttpStatusCode.UnprocessableEntity, "registry.invalid_reference");

        Assert.Equal("pending", await StateAsync(id));
        Assert.Equal(new[] { AuthHash() }, await ServerHashesAsync(Server));
        Assert.Equal(HttpStatusCode.NotFound, (await _admin.GetAsync($"api/v1/security-servers/{ApiClient.Enc(MovedServer.ToString())}")).StatusCode);
    }

    [Fact]
    public async Task NewTypes_AutoApprove_ApprovedOnReceiptAppliedAndPublished()
    {
        using var dir = new TempDirectory();
        var port = FreePort();
        await using var server = await StartServerAsync(dir.File("central"), port, "--CentralServer:Management:AutoApprove=true");
        using var admin = server.Client(server.AdminKey);
        await SeedAsync(admin);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };

        async Task<JsonElement> Send(string envelope)
        {
            var accepted = await (await http.PostRaw("managementservice", envelope)).Expect(HttpStatusCode.Accepted);
            Assert.Equal("approved", accepted.GetProperty("state").GetString());
            var stored = await (await admin.GetAsync($"api/v1/management-requests/{accepted.GetProperty("id").GetString()}")).Expect(HttpStatusCode.OK);
            Assert.Equal("auto-approval", stored.GetProperty("decidedBy").GetString());
            return stored;
        }

        await Send(AuthRegistration(Guid.NewGuid()));
        await Send(OwnerSigned(ManagementRequestBuilder.ClientRegistration(Guid.NewGuid(), _time.GetUtcNow(), Server, OtherSubsystem)));
        Assert.Equal("client-disable", (await Send(OwnerSigned(ManagementRequestBuilder.ClientDisable(Guid.NewGuid(), _time.GetUtcNow(), Server, OtherSubsystem)))).GetProperty("type").GetString());
        var disabled = await (await admin.GetAsync($"api/v1/security-servers/{ApiClient.Enc(Server.ToString())}")).Expect(HttpStatusCode.OK);
        Assert.Equal(new[] { OtherSubsystem.ToString() }, disabled.GetProperty("disabledClients").EnumerateArray().Select(e => e.GetString()!).ToArray());
        await Send(OwnerSigned(ManagementRequestBuilder.ClientEnable(Guid.NewGuid(), _time.GetUtcNow(), Server, OtherSubsystem)));
        await Send(ManagementRequestBuilder.SignedEnvelope(ManagementRequestBuilder.OwnerChange(Guid.NewGuid(), _time.GetUtcNow(), Server, M2), _m2Signing, null, _time.GetUtcNow()));
        await Send(ManagementRequestBuilder.SignedEnvelope(ManagementRequestBuilder.AuthCertDeletion(Guid.NewGuid(), _time.GetUtcNow(), MovedServer, AuthHash()), _m2Signing, null, _time.GetUtcNow()));

        var moved = await (await admin.GetAsync($"api/v1/security-servers/{ApiClient.Enc(MovedServer.ToString())}")).Expect(HttpStatusCode.OK);
        Assert.Empty(moved.GetProperty("authenticationCertificateHashes").EnumerateArray());
        Assert.Empty(moved.GetProperty("disabledClients").EnumerateArray());
        Assert.Equal(new[] { OtherSubsystem.ToString() }, moved.GetProperty("clients").EnumerateArray().Select(e => e.GetString()!).ToArray());

        // Auto-approval that the registry refuses leaves the request pending (enabling an enabled client).
        var refused = await (await http.PostRaw("managementservice", ManagementRequestBuilder.SignedEnvelope(
            ManagementRequestBuilder.ClientEnable(Guid.NewGuid(), _time.GetUtcNow(), MovedServer, OtherSubsystem), _m2Signing, null, _time.GetUtcNow()))).Expect(HttpStatusCode.Accepted);
        Assert.Equal("pending", refused.GetProperty("state").GetString());
    }

    private string AuthRegistration(Guid requestId)
    {
        var request = ManagementRequestBuilder.AuthCertRegistration(requestId, _time.GetUtcNow(), Server, _auth.RawData, "ss1.example.org");
        return ManagementRequestBuilder.SignedEnvelope(request, _ownerSigning, _auth, _time.GetUtcNow());
    }

    private string OwnerSigned(byte[] request) => ManagementRequestBuilder.SignedEnvelope(request, _ownerSigning, null, _time.GetUtcNow());

    /// <summary>Request bytes of <paramref name="type"/> with <paramref name="fields"/> (JSON members, comma-separated) after the common ones.</summary>
    private byte[] Raw(string type, SecurityServerId server, string fields) =>
        Encoding.UTF8.GetBytes($$"""{"type":"{{type}}","requestId":"{{Guid.NewGuid()}}","createdAt":"{{_time.GetUtcNow():yyyy-MM-dd'T'HH:mm:ss'Z'}}","serverId":"{{server}}"{{(fields.Length == 0 ? "" : "," + fields)}}}""");

    private string AuthHash() => Convert.ToHexStringLower(SHA256.HashData(_auth.RawData));

    private async Task RegisterServerAsync() => await ApproveAsync(await AcceptedIdAsync(AuthRegistration(Guid.NewGuid())));

    private async Task<string> AcceptedIdAsync(string envelope)
    {
        using var response = await SendAsync(envelope);
        return (await response.Expect(HttpStatusCode.Accepted)).GetProperty("id").GetString()!;
    }

    private async Task ApproveAsync(string id)
    {
        var approved = await (await _officer.PostAsync($"api/v1/management-requests/{id}/approve", null)).Expect(HttpStatusCode.OK);
        Assert.Equal("approved", approved.GetProperty("state").GetString());
    }

    private async Task<string?> StateAsync(string id) =>
        (await (await _officer.GetAsync($"api/v1/management-requests/{id}")).Expect(HttpStatusCode.OK)).GetProperty("state").GetString();

    private async Task<int> RequestCountAsync() =>
        (await (await _officer.GetAsync("api/v1/management-requests")).Expect(HttpStatusCode.OK)).GetArrayLength();

    private async Task<string[]> ServerHashesAsync(SecurityServerId id) =>
        (await (await _admin.GetAsync($"api/v1/security-servers/{ApiClient.Enc(id.ToString())}")).Expect(HttpStatusCode.OK))
            .GetProperty("authenticationCertificateHashes").EnumerateArray().Select(e => e.GetString()!).ToArray();

    private async Task<string[]> DisabledAsync(SecurityServerId id) =>
        (await (await _admin.GetAsync($"api/v1/security-servers/{ApiClient.Enc(id.ToString())}")).Expect(HttpStatusCode.OK))
            .GetProperty("disabledClients").EnumerateArray().Select(e => e.GetString()!).ToArray();

    private Task<HttpResponseMessage> SendAsync(string envelope) => ManagementServer.SendAsync(_port, envelope);

    private Task SeedAsync(HttpClient admin) => ManagementServer.SeedAsync(admin, _pki);

    private Task<ConfigurationClient> NewClientAsync() => ManagementServer.NewClientAsync(_admin, _dir, _time);

    private static Task<Config.Model.GlobalConfiguration> PollUntilAsync(ConfigurationClient client, Func<Config.Model.GlobalConfiguration, bool> condition) =>
        ManagementServer.PollUntilAsync(client, condition);

    private Task<CentralServerInstance> StartServerAsync(string dataDirectory, int port, params string[] extra) =>
        ManagementServer.StartAsync(dataDirectory, port, _time, extra);

    private static int FreePort() => ManagementServer.FreePort();
}
