using ExchangeGateway.Config.Management;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using ExchangeGateway.CentralServer.Management;
using ExchangeGateway.CentralServer.Tests.Support;
using ExchangeGateway.Common.Identifiers;
using ExchangeGateway.Config.Anchors;
using ExchangeGateway.Config.Client;
using ExchangeGateway.Testing.Pki;
using ExchangeGateway.Testing.Time;
using ExchangeGateway.Testing.Tools;

namespace ExchangeGateway.CentralServer.Tests;

/// <summary>
/// Signed management requests against a real Central Server on loopback: an approved CA from the test
/// PKI, members registered through the admin API, requests built with <see cref="ManagementRequestBuilder"/>,
/// and a real configuration client following the published result.
/// </summary>
public sealed class ManagementRequestTests : IAsyncLifetime
{
    private static readonly SecurityServerId Server = SecurityServerId.Parse("EE/GOV/M1/ss1");
    private static readonly ClientId Subsystem = ClientId.Parse("EE/GOV/M1/sub");

    private readonly TempDirectory _dir = new();
    private readonly ManualTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly int _port = FreePort();
    private TestPki _pki = null!;
    private X509Certificate2 _ownerSigning = null!;
    private X509Certificate2 _auth = null!;
    private CentralServerInstance _server = null!;
    private HttpClient _admin = null!;
    private HttpClient _officer = null!;

    public async Task InitializeAsync()
    {
        _pki = TestPki.Create(_time);
        _ownerSigning = _pki.IssueSigning("EE", "GOV", "M1");
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
        _pki.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task AuthCertRegistration_ValidProofOfPossession_PendingThenApprovedIntoNextConfiguration()
    {
        using var client = await NewClientAsync();
        Assert.True((await client.PollOnceAsync()).IsValid);
        var first = client.Status.Serial!.Value;

        var accepted = await (await SendAsync(AuthRegistration(Guid.NewGuid()))).Expect(HttpStatusCode.Accepted);
        Assert.Equal("pending", accepted.GetProperty("state").GetString());
        var id = accepted.GetProperty("id").GetString()!;

        var stored = await (await _officer.GetAsync($"api/v1/management-requests/{id}")).Expect(HttpStatusCode.OK);
        Assert.Equal("auth-cert-registration", stored.GetProperty("type").GetString());
        Assert.Equal(AuthHash(), stored.GetProperty("authCertificateHash").GetString());
        Assert.Single((await (await _officer.GetAsync("api/v1/management-requests?state=pending")).Expect(HttpStatusCode.OK)).EnumerateArray());

        var approved = await (await _officer.PostAsync($"api/v1/management-requests/{id}/approve", null)).Expect(HttpStatusCode.OK);
        Assert.Equal("approved", approved.GetProperty("state").GetString());

        var config = await PollUntilAsync(client, c => c.FindSecurityServer(Server) is not null);
        Assert.True(config.Serial > first);
        Assert.True(config.IsAuthenticationCertificateRegistered(Server, Convert.FromHexString(AuthHash())));
        Assert.Equal("ss1.example.org", config.FindSecurityServer(Server)!.Address);
    }

    [Fact]
    public async Task AuthCertRegistration_ForgedProofOfPossession_RefusedAndNothingStored()
    {
        using var otherAuth = _pki.IssueAuthentication("EE", "GOV", "M1", "other");
        var request = ManagementRequestBuilder.AuthCertRegistration(Guid.NewGuid(), _time.GetUtcNow(), Server, _auth.RawData, "ss1.example.org");
        var ownerSignature = ManagementRequestBuilder.Sign(request, _ownerSigning, _time.GetUtcNow());
        var forged = ManagementRequestBuilder.Sign(request, otherAuth, _time.GetUtcNow());

        await (await SendAsync(ManagementRequestBuilder.Envelope(request, ownerSignature, forged))).Expect(HttpStatusCode.BadRequest, "management.invalid_proof_of_possession");
        await (await SendAsync(ManagementRequestBuilder.Envelope(request, ownerSignature))).Expect(HttpStatusCode.BadRequest, "management.invalid_proof_of_possession");

        Assert.Empty((await (await _officer.GetAsync("api/v1/management-requests")).Expect(HttpStatusCode.OK)).EnumerateArray());
        Assert.Equal(HttpStatusCode.NotFound, (await _admin.GetAsync($"api/v1/security-servers/{ApiClient.Enc(Server.ToString())}")).StatusCode);
        var audit = await (await _admin.GetAsync("api/v1/audit?limit=1000")).Expect(HttpStatusCode.OK);
        Assert.Contains(audit.EnumerateArray(), e => e.GetProperty("action").GetString() == "management-request.receive"
            && e.GetProperty("outcome").GetString() == "management.invalid_proof_of_possession");
    }

    [Fact]
    public async Task AuthCertRegistration_AuthCertificateFromUnapprovedCa_RefusedAsNoProofOfPossession()
    {
        using var otherPki = TestPki.Create(_time, "Other");
        using var foreignAuth = otherPki.IssueAuthentication("EE", "GOV", "M1", "ss1");
        var request = ManagementRequestBuilder.AuthCertRegistration(Guid.NewGuid(), _time.GetUtcNow(), Server, foreignAuth.RawData, "ss1.example.org");
        var envelope = ManagementRequestBuilder.Envelope(
            request,
            ManagementRequestBuilder.Sign(request, _ownerSigning, _time.GetUtcNow()),
            ManagementRequestBuilder.Sign(request, foreignAuth, _time.GetUtcNow()));

        await (await SendAsync(envelope)).Expect(HttpStatusCode.BadRequest, "management.invalid_proof_of_possession");
    }

    [Fact]
    public async Task Receive_OwnerSignatureByAnotherMember_WrongOwner()
    {
        using var otherMember = _pki.IssueSigning("EE", "GOV", "M2");
        var request = ManagementRequestBuilder.ClientRegistration(Guid.NewGuid(), _time.GetUtcNow(), Server, Subsystem);

        await (await SendAsync(ManagementRequestBuilder.SignedEnvelope(request, otherMember, null, _time.GetUtcNow()))).Expect(HttpStatusCode.BadRequest, "management.wrong_owner");
        Assert.Empty((await (await _officer.GetAsync("api/v1/management-requests")).Expect(HttpStatusCode.OK)).EnumerateArray());
    }

    [Fact]
    public async Task Receive_SigningCertificateFromUnapprovedCa_InvalidSignature()
    {
        using var otherPki = TestPki.Create(_time, "Other");
        using var foreignSigning = otherPki.IssueSigning("EE", "GOV", "M1");
        var request = ManagementRequestBuilder.ClientRegistration(Guid.NewGuid(), _time.GetUtcNow(), Server, Subsystem);

        await (await SendAsync(ManagementRequestBuilder.SignedEnvelope(request, foreignSigning, null, _time.GetUtcNow(), [otherPki.IntermediateCertificate])))
            .Expect(HttpStatusCode.BadRequest, "management.invalid_signature");
    }

    [Fact]
    public async Task Receive_TamperedRequestBytes_InvalidSignature()
    {
        var request = ManagementRequestBuilder.AddressChange(Guid.NewGuid(), _time.GetUtcNow(), Server, "ss1.example.org");
        var signature = ManagementRequestBuilder.Sign(request, _ownerSigning, _time.GetUtcNow());
        var tampered = ManagementRequestBuilder.AddressChange(Guid.NewGuid(), _time.GetUtcNow(), Server, "evil.example.org");

        await (await SendAsync(ManagementRequestBuilder.Envelope(tampered, signature))).Expect(HttpStatusCode.BadRequest, "management.invalid_signature");
    }

    [Fact]
    public async Task Receive_DuplicateRequestId_Conflict()
    {
        var id = Guid.NewGuid();
        await (await SendAsync(AuthRegistration(id))).Expect(HttpStatusCode.Accepted);
        await (await SendAsync(AuthRegistration(id))).Expect(HttpStatusCode.Conflict, "management.duplicate_request");
        Assert.Single((await (await _officer.GetAsync("api/v1/management-requests")).Expect(HttpStatusCode.OK)).EnumerateArray());
    }

    [Fact]
    public async Task Receive_CreatedAtOutsideClockWindow_StaleRequest()
    {
        var request = ManagementRequestBuilder.AddressChange(Guid.NewGuid(), _time.GetUtcNow().AddMinutes(-11), Server, "ss1.example.org");
        await (await SendAsync(ManagementRequestBuilder.SignedEnvelope(request, _ownerSigning, null, _time.GetUtcNow()))).Expect(HttpStatusCode.BadRequest, "management.stale_request");

        var future = ManagementRequestBuilder.AddressChange(Guid.NewGuid(), _time.GetUtcNow().AddMinutes(11), Server, "ss1.example.org");
        await (await SendAsync(ManagementRequestBuilder.SignedEnvelope(future, _ownerSigning, null, _time.GetUtcNow()))).Expect(HttpStatusCode.BadRequest, "management.stale_request");
    }

    [Fact]
    public async Task Receive_MalformedOrOversized_RefusedWithStableCodes()
    {
        await (await SendAsync("""{"request":"not base64!","ownerSignature":"AAAA"}""")).Expect(HttpStatusCode.BadRequest, "management.invalid_request");
        await (await SendAsync("""{"request":"e30=","ownerSignature":"AAAA","extra":1}""")).Expect(HttpStatusCode.BadRequest, "management.invalid_request");

        var noAddress = System.Text.Encoding.UTF8.GetBytes($$"""{"type":"address-change","requestId":"{{Guid.NewGuid()}}","createdAt":"{{_time.GetUtcNow():O}}","serverId":"EE/GOV/M1/ss1"}""");
        await (await SendAsync(ManagementRequestBuilder.SignedEnvelope(noAddress, _ownerSigning, null, _time.GetUtcNow()))).Expect(HttpStatusCode.BadRequest, "management.invalid_request");

        var huge = $$"""{"request":"{{new string('A', 70 * 1024)}}","ownerSignature":"AAAA"}""";
        await (await SendAsync(huge)).Expect(HttpStatusCode.RequestEntityTooLarge, "request.too_large");
    }

    [Fact]
    public async Task ClientRegistrationAndDeletion_Approved_RoundTripVisibleInConfiguration()
    {
        await RegisterServerAsync();
        using var client = await NewClientAsync();

        var registration = ManagementRequestBuilder.ClientRegistration(Guid.NewGuid(), _time.GetUtcNow(), Server, Subsystem);
        await ApproveAsync(await SendAsync(ManagementRequestBuilder.SignedEnvelope(registration, _ownerSigning, null, _time.GetUtcNow())));
        var withClient = await PollUntilAsync(client, c => c.FindSecurityServer(Server)?.Clients.Contains(Subsystem) == true);
        Assert.Single(withClient.FindServersHosting(Subsystem));

        var deletion = ManagementRequestBuilder.ClientDeletion(Guid.NewGuid(), _time.GetUtcNow(), Server, Subsystem);
        await ApproveAsync(await SendAsync(ManagementRequestBuilder.SignedEnvelope(deletion, _ownerSigning, null, _time.GetUtcNow())));
        var without = await PollUntilAsync(client, c => c.FindSecurityServer(Server)?.Clients.Count == 0);
        Assert.Empty(without.FindServersHosting(Subsystem));
    }

    [Fact]
    public async Task ClientRegistration_ClientNotASubsystem_ApprovalRefusedAndStaysPending()
    {
        await RegisterServerAsync();
        var request = ManagementRequestBuilder.ClientRegistration(Guid.NewGuid(), _time.GetUtcNow(), Server, ClientId.Parse("EE/GOV/M1/unknown"));
        var id = (await (await SendAsync(ManagementRequestBuilder.SignedEnvelope(request, _ownerSigning, null, _time.GetUtcNow()))).Expect(HttpStatusCode.Accepted)).GetProperty("id").GetString()!;

        await (await _officer.PostAsync($"api/v1/management-requests/{id}/approve", null)).Expect(HttpStatusCode.UnprocessableEntity, "registry.invalid_reference");
        Assert.Equal("pending", (await (await _officer.GetAsync($"api/v1/management-requests/{id}")).Expect(HttpStatusCode.OK)).GetProperty("state").GetString());
    }

    [Fact]
    public async Task AddressChange_Approved_VisibleInConfiguration()
    {
        await RegisterServerAsync();
        using var client = await NewClientAsync();

        var request = ManagementRequestBuilder.AddressChange(Guid.NewGuid(), _time.GetUtcNow(), Server, "ss1-new.example.org");
        await ApproveAsync(await SendAsync(ManagementRequestBuilder.SignedEnvelope(request, _ownerSigning, null, _time.GetUtcNow())));

        var config = await PollUntilAsync(client, c => c.FindSecurityServer(Server)?.Address == "ss1-new.example.org");
        Assert.NotNull(config.FindSecurityServer(Server));
    }

    [Fact]
    public async Task Approve_ObserverKey_Forbidden()
    {
        var id = (await (await SendAsync(AuthRegistration(Guid.NewGuid()))).Expect(HttpStatusCode.Accepted)).GetProperty("id").GetString()!;
        using var observer = _server.Client(await _admin.CreateKey("obs", "observer"));
        using var anonymous = _server.Client(null);

        await (await observer.PostAsync($"api/v1/management-requests/{id}/approve", null)).Expect(HttpStatusCode.Forbidden, "auth.forbidden");
        await (await observer.PostAsync($"api/v1/management-requests/{id}/reject", null)).Expect(HttpStatusCode.Forbidden, "auth.forbidden");
        await (await observer.GetAsync("api/v1/management-requests")).Expect(HttpStatusCode.Forbidden, "auth.forbidden");
        await (await anonymous.PostAsync($"api/v1/management-requests/{id}/approve", null)).Expect(HttpStatusCode.Unauthorized, "auth.unauthenticated");
        Assert.Equal("pending", (await (await _officer.GetAsync($"api/v1/management-requests/{id}")).Expect(HttpStatusCode.OK)).GetProperty("state").GetString());
    }

    [Fact]
    public async Task Receive_AutoApproveMode_ApprovedOnReceiptAndPublished()
    {
        using var dir = new TempDirectory();
        var port = FreePort();
        await using var server = await StartServerAsync(dir.File("central"), port, "--CentralServer:Management:AutoApprove=true");
        using var admin = server.Client(server.AdminKey);
        await SeedAsync(admin);

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
        using var response = await http.PostRaw("managementservice", AuthRegistration(Guid.NewGuid()));
        var accepted = await response.Expect(HttpStatusCode.Accepted);

        Assert.Equal("approved", accepted.GetProperty("state").GetString());
        var stored = await (await admin.GetAsync($"api/v1/management-requests/{accepted.GetProperty("id").GetString()}")).Expect(HttpStatusCode.OK);
        Assert.Equal("auto-approval", stored.GetProperty("decidedBy").GetString());
        var registered = await (await admin.GetAsync($"api/v1/security-servers/{ApiClient.Enc(Server.ToString())}")).Expect(HttpStatusCode.OK);
        Assert.Contains(registered.GetProperty("authenticationCertificateHashes").EnumerateArray(), h => h.GetString() == AuthHash());
    }

    [Fact]
    public async Task RejectAndRevoke_StateTransitions_FollowTheLifecycle()
    {
        var rejected = (await (await SendAsync(AuthRegistration(Guid.NewGuid()))).Expect(HttpStatusCode.Accepted)).GetProperty("id").GetString()!;
        Assert.Equal("rejected", (await (await _officer.PostAsync($"api/v1/management-requests/{rejected}/reject", null)).Expect(HttpStatusCode.OK)).GetProperty("state").GetString());
        await (await _officer.PostAsync($"api/v1/management-requests/{rejected}/approve", null)).Expect(HttpStatusCode.Conflict, "registry.conflict");
        await (await _officer.PostAsync($"api/v1/management-requests/{rejected}/revoke", null)).Expect(HttpStatusCode.Conflict, "registry.conflict");
        Assert.Equal(HttpStatusCode.NotFound, (await _admin.GetAsync($"api/v1/security-servers/{ApiClient.Enc(Server.ToString())}")).StatusCode);

        var pending = (await (await SendAsync(AuthRegistration(Guid.NewGuid()))).Expect(HttpStatusCode.Accepted)).GetProperty("id").GetString()!;
        Assert.Equal("revoked", (await (await _officer.PostAsync($"api/v1/management-requests/{pending}/revoke", null)).Expect(HttpStatusCode.OK)).GetProperty("state").GetString());
        await (await _officer.PostAsync($"api/v1/management-requests/{pending}/approve", null)).Expect(HttpStatusCode.Conflict, "registry.conflict");

        var approved = await RegisterServerAsync();
        Assert.Equal("revoked", (await (await _officer.PostAsync($"api/v1/management-requests/{approved}/revoke", null)).Expect(HttpStatusCode.OK)).GetProperty("state").GetString());
        await (await _officer.PostAsync($"api/v1/management-requests/{approved}/reject", null)).Expect(HttpStatusCode.Conflict, "registry.conflict");

        await (await _officer.PostAsync($"api/v1/management-requests/{Guid.NewGuid()}/approve", null)).Expect(HttpStatusCode.NotFound, "registry.not_found");
        await (await _officer.GetAsync("api/v1/management-requests/not-a-uuid")).Expect(HttpStatusCode.BadRequest, "request.invalid");
        var states = (await (await _officer.GetAsync("api/v1/management-requests")).Expect(HttpStatusCode.OK)).EnumerateArray()
            .Select(r => r.GetProperty("state").GetString()!).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(new[] { "rejected", "revoked", "revoked" }, states);
        Assert.Equal(2, (await (await _officer.GetAsync("api/v1/management-requests?state=revoked")).Expect(HttpStatusCode.OK)).GetArrayLength());
        await (await _officer.GetAsync("api/v1/management-requests?state=bogus")).Expect(HttpStatusCode.BadRequest, "request.invalid");
    }

    private string AuthRegistration(Guid requestId)
    {
        var request = ManagementRequestBuilder.AuthCertRegistration(requestId, _time.GetUtcNow(), Server, _auth.RawData, "ss1.example.org");
        return ManagementRequestBuilder.SignedEnvelope(request, _ownerSigning, _auth, _time.GetUtcNow());
    }

    private string AuthHash() => Convert.ToHexStringLower(SHA256.HashData(_auth.RawData));

    private async Task<string> RegisterServerAsync() => await ApproveAsync(await SendAsync(AuthRegistration(Guid.NewGuid())));

    private async Task<string> ApproveAsync(HttpResponseMessage received)
    {
        using (received)
        {
            var id = (await received.Expect(HttpStatusCode.Accepted)).GetProperty("id").GetString()!;
            var approved = await (await _officer.PostAsync($"api/v1/management-requests/{id}/approve", null)).Expect(HttpStatusCode.OK);
            Assert.Equal("approved", approved.GetProperty("state").GetString());
            return id;
        }
    }

    private Task<HttpResponseMessage> SendAsync(string envelope) => ManagementServer.SendAsync(_port, envelope);

    private Task SeedAsync(HttpClient admin) => ManagementServer.SeedAsync(admin, _pki);

    private Task<ConfigurationClient> NewClientAsync() => ManagementServer.NewClientAsync(_admin, _dir, _time);

    private static Task<Config.Model.GlobalConfiguration> PollUntilAsync(ConfigurationClient client, Func<Config.Model.GlobalConfiguration, bool> condition) =>
        ManagementServer.PollUntilAsync(client, condition);

    private Task<CentralServerInstance> StartServerAsync(string dataDirectory, int port, params string[] extra) =>
        ManagementServer.StartAsync(dataDirectory, port, _time, extra);

    private static int FreePort() => ManagementServer.FreePort();
}
