using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using ExchangeGateway.CentralServer.Tests.Support;
using ExchangeGateway.Common.Crypto.Cms;
using ExchangeGateway.Common.Crypto.Merkle;
using ExchangeGateway.Common.Crypto.X509;
using ExchangeGateway.Common.Identifiers;
using ExchangeGateway.Common.Results;
using ExchangeGateway.Config.Anchors;
using ExchangeGateway.Config.Client;
using ExchangeGateway.Config.Signing;
using ExchangeGateway.Testing.Time;
using ExchangeGateway.Testing.Tools;

namespace ExchangeGateway.CentralServer.Tests;

/// <summary>
/// A real Central Server publishing signed configuration, and a real configuration client on loopback
/// following it: registration shows up in a new serial, outages run into expiry and recover, signing
/// keys rotate without a gap, and the publication log proves one history.
/// </summary>
public sealed class PublicationTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private readonly ManualTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly int _port = FreePort();
    private CentralServerInstance _server = null!;
    private HttpClient _admin = null!;

    public async Task InitializeAsync()
    {
        await StartServerAsync();
        _admin = _server.Client(_server.AdminKey);
    }

    public async Task DisposeAsync()
    {
        _admin.Dispose();
        await _server.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task Anchor_HashHeaderMatchesFile_AndNamesDownloadUrl()
    {
        using var response = await _admin.GetAsync("api/v1/anchor");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var anchor = ConfigurationAnchorSerializer.Read(bytes);

        Assert.True(anchor.Success, anchor.Message);
        Assert.Equal(ConfigurationAnchorSerializer.Sha256Hex(bytes), response.Headers.GetValues("X-Anchor-Sha256").Single());
        Assert.Equal("EE", anchor.Value.InstanceId);
        Assert.Equal($"http://127.0.0.1:{_port}/globalconf", anchor.Value.DownloadUrls.Single());
        Assert.Single(anchor.Value.Certificates);
    }

    [Fact]
    public async Task PrintAnchorCommand_Offline_WritesTheSameAnchorAsTheApi()
    {
        using var response = await _admin.GetAsync("api/v1/anchor");
        var fromApi = await response.Content.ReadAsByteArrayAsync();
        var output = new StringWriter();
        var error = new StringWriter();

        var exit = Commands.PrintAnchorCommand.Run(
            ["print-anchor", "--out", _dir.File("printed-anchor.json"), "--data-directory", _dir.File("central"), $"--CentralServer:Publication:ConfigurationUrl=http://127.0.0.1:{_port}"],
            output,
            error,
            _time);

        Assert.True(exit == 0, error.ToString());
        Assert.Equal(fromApi, await File.ReadAllBytesAsync(_dir.File("printed-anchor.json")));
        Assert.Contains($"sha256 {ConfigurationAnchorSerializer.Sha256Hex(fromApi)}", output.ToString(), StringComparison.Ordinal);
        Assert.Equal(1, Commands.PrintAnchorCommand.Run(["print-anchor", "--data-directory", _dir.File("nowhere")], output, error, _time));
    }

    [Fact]
    public async Task RegisterMemberAndServer_ClientGetsNewSerialContainingThem()
    {
        using var client = await NewClientAsync();
        Assert.True((await client.PollOnceAsync()).IsValid);
        var first = client.Status.Serial!.Value;

        await _admin.SeedMember("70000001");
        await (await _admin.PostJson("api/v1/security-servers", new { id = "EE/GOV/70000001/ss1", address = "ss1.example.org" })).Expect(HttpStatusCode.Created);
        var authHash = Convert.ToHexStringLower(SHA256.HashData("auth certificate"u8));
        await (await _admin.PostJson($"api/v1/security-servers/{ApiClient.Enc("EE/GOV/70000001/ss1")}/authentication-certificates", new { hash = authHash })).Expect(HttpStatusCode.OK);
        await (await _admin.PostJson($"api/v1/security-servers/{ApiClient.Enc("EE/GOV/70000001/ss1")}/clients", new { id = "EE/GOV/70000001/sub" })).Expect(HttpStatusCode.OK);

        // The publisher wakes on the registry change; poll until the new generation carries everything.
        var config = await PollUntilAsync(client, c => c.FindSecurityServer(SecurityServerId.Parse("EE/GOV/70000001/ss1"))?.Clients.Count == 1);

        Assert.True(config.Serial > first);
        Assert.NotNull(config.FindMember(MemberId.Parse("EE/GOV/70000001")));
        Assert.True(config.IsRegisteredClient(ClientId.Parse("EE/GOV/70000001/sub")));
        Assert.True(config.IsAuthenticationCertificateRegistered(SecurityServerId.Parse("EE/GOV/70000001/ss1"), Convert.FromHexString(authHash)));
        Assert.Single(config.FindServersHosting(ClientId.Parse("EE/GOV/70000001/sub")));
    }

    [Fact]
    public async Task CentralServerDown_ClientServesUntilExpiry_ThenOutdated_ThenRecovers()
    {
        using var client = await NewClientAsync();
        Assert.True((await client.PollOnceAsync()).IsValid);
        var first = client.Status.Serial!.Value;
        var expiresAt = client.Current!.ExpiresAt;

        await _server.DisposeAsync();
        var failed = await client.PollOnceAsync();
        Assert.False(failed.IsValid);
        Assert.True(client.TryGetValid(_time.GetUtcNow(), out _), "the last good copy serves until it expires");

        _time.SetUtcNow(expiresAt.AddSeconds(1));
        Assert.False(client.TryGetValid(_time.GetUtcNow(), out _));
        Assert.True(client.Status.IsOutdated(_time.GetUtcNow()));

        await StartServerAsync();
        var recovered = await client.PollOnceAsync();

        Assert.True(recovered.IsValid, recovered.ToString());
        Assert.True(client.TryGetValid(_time.GetUtcNow(), out var fresh));
        Assert.True(fresh.Serial > first);
    }

    [Fact]
    public async Task SigningKeyRotation_ClientWithUpdatedAnchor_NeverSeesAGap()
    {
        var oldAnchor = await AnchorAsync();
        using var created = await _admin.PostAsync("api/v1/signing-keys", null);
        var newKey = (await created.Expect(HttpStatusCode.Created)).GetProperty("id").GetString()!;
        var rolloverAnchor = await AnchorAsync();
        Assert.Equal(2, rolloverAnchor.Certificates.Count);

        using var updated = await NewClientAsync(rolloverAnchor, "updated");
        using var stale = await NewClientAsync(oldAnchor, "stale");
        Assert.True((await updated.PollOnceAsync()).IsValid);
        Assert.True((await stale.PollOnceAsync()).IsValid);
        var before = updated.Status.Serial!.Value;

        await (await _admin.PostAsync($"api/v1/signing-keys/{newKey}/activate", null)).Expect(HttpStatusCode.OK);

        var afterActivation = await updated.PollOnceAsync();
        Assert.True(afterActivation.IsValid, afterActivation.ToString());
        Assert.True(updated.Status.Serial > before);

        // A server that never received the rollover anchor cannot follow: the anchor must be distributed
        // between creating and activating a key (README, "Rotating the configuration-signing key").
        var staleResult = await stale.PollOnceAsync();
        Assert.Equal(TrustFailure.UntrustedCertificate, staleResult.Failure);
        Assert.True(stale.TryGetValid(_time.GetUtcNow(), out _), "it keeps its last good copy until expiry");

        var oldKey = (await (await _admin.GetAsync("api/v1/signing-keys")).Expect(HttpStatusCode.OK)).EnumerateArray()
            .Single(k => k.GetProperty("state").GetString() == "standby").GetProperty("id").GetString()!;
        await (await _admin.PostAsync($"api/v1/signing-keys/{newKey}/retire", null)).Expect(HttpStatusCode.Conflict, "registry.conflict");
        await (await _admin.PostAsync($"api/v1/signing-keys/{oldKey}/retire", null)).Expect(HttpStatusCode.OK);
        Assert.Single((await AnchorAsync()).Certificates);
        await (await _admin.PostAsync("api/v1/configuration/generate", null)).Expect(HttpStatusCode.OK);
        Assert.True((await updated.PollOnceAsync()).IsValid);
    }

    [Fact]
    public async Task SigningKeyEndpoints_RoleBoundaries()
    {
        var registration = await _admin.CreateKey("ro", "registration-officer");
        var observer = await _admin.CreateKey("obs", "observer");
        var security = await _admin.CreateKey("sec", "security-officer");
        using var asRegistration = _server.Client(registration);
        using var asObserver = _server.Client(observer);
        using var asSecurity = _server.Client(security);
        using var anonymous = _server.Client(null);

        await (await asRegistration.PostAsync("api/v1/signing-keys", null)).Expect(HttpStatusCode.Forbidden, "auth.forbidden");
        await (await asObserver.PostAsync("api/v1/configuration/generate", null)).Expect(HttpStatusCode.Forbidden, "auth.forbidden");
        await (await asObserver.GetAsync("api/v1/configuration")).Expect(HttpStatusCode.OK);
        await (await anonymous.GetAsync("api/v1/anchor")).Expect(HttpStatusCode.Unauthorized, "auth.unauthenticated");
        await (await asSecurity.PostAsync("api/v1/signing-keys", null)).Expect(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Download_EtagRevalidation_AndImmutableHistory()
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_port}/") };
        using var latest = await http.GetAsync("globalconf");
        Assert.Equal(HttpStatusCode.OK, latest.StatusCode);
        Assert.Equal(SignedConfigurationEnvelope.MediaType, latest.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no-cache", latest.Headers.CacheControl?.ToString());
        var serial = latest.Headers.GetValues("X-Configuration-Serial").Single();

        using var conditional = new HttpRequestMessage(HttpMethod.Get, "globalconf");
        conditional.Headers.IfNoneMatch.Add(latest.Headers.ETag!);
        using var notModified = await http.SendAsync(conditional);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);

        using var bySerial = await http.GetAsync($"globalconf/{serial}");
        Assert.Equal(HttpStatusCode.OK, bySerial.StatusCode);
        Assert.Contains("immutable", bySerial.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
        Assert.Equal(await latest.Content.ReadAsByteArrayAsync(), await bySerial.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("globalconf/999999")).StatusCode);
    }

    [Fact]
    public async Task PublicationLog_CheckpointSigned_InclusionAndConsistencyProofsVerify()
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_port}/") };
        var anchor = await AnchorAsync();
        var first = await CheckpointAsync(http, anchor);

        await (await _admin.PostAsync("api/v1/configuration/generate", null)).Expect(HttpStatusCode.OK);
        await (await _admin.PostAsync("api/v1/configuration/generate", null)).Expect(HttpStatusCode.OK);
        var second = await CheckpointAsync(http, anchor);
        Assert.Equal(first.Size + 2, second.Size);

        var consistency = await JsonAsync(http, $"globalconf/log/consistency?from={first.Size}&to={second.Size}");
        var proof = consistency.GetProperty("proof").EnumerateArray().Select(h => new MerkleHash(Convert.FromHexString(h.GetString()!))).ToArray();
        Assert.True(MerkleProofs.VerifyConsistency(first.Size, second.Size, first.Root, second.Root, proof).IsValid);

        // The latest generation's content is a leaf of the signed tree.
        using var latest = await http.GetAsync("globalconf");
        var serial = latest.Headers.GetValues("X-Configuration-Serial").Single();
        var signed = SignedConfigurationEnvelope.Read(await latest.Content.ReadAsByteArrayAsync());
        var inclusion = await JsonAsync(http, $"globalconf/log/inclusion?serial={serial}&treeSize={second.Size}");
        var path = inclusion.GetProperty("proof").EnumerateArray().Select(h => new MerkleHash(Convert.FromHexString(h.GetString()!))).ToArray();
        var leaf = MerkleHasher.HashLeaf(signed.Value!.Content.Span);
        Assert.True(MerkleProofs.VerifyInclusion(leaf, inclusion.GetProperty("leafIndex").GetInt64(), second.Size, path, second.Root).IsValid);

        // A forged older root is not consistent with the signed one.
        var forged = MerkleHasher.HashLeaf("rewritten history"u8);
        Assert.False(MerkleProofs.VerifyConsistency(first.Size, second.Size, forged, second.Root, proof).IsValid);
        await (await http.GetAsync($"globalconf/log/consistency?from={second.Size}&to={first.Size}")).Expect(HttpStatusCode.BadRequest, "publication.invalid_range");
    }

    private async Task<(long Size, MerkleHash Root)> CheckpointAsync(HttpClient http, ConfigurationAnchor anchor)
    {
        var json = await JsonAsync(http, "globalconf/log/checkpoint");
        var size = json.GetProperty("treeSize").GetInt64();
        var root = new MerkleHash(Convert.FromHexString(json.GetProperty("rootHash").GetString()!));
        var signedContent = Convert.FromBase64String(json.GetProperty("signedContent").GetString()!);
        var signature = Convert.FromBase64String(json.GetProperty("signature").GetString()!);

        // The checkpoint is signed by a key the anchor pins.
        var verifier = new CmsSignatureVerifier(new CertificateValidator(anchor.LoadCertificates()));
        var verified = verifier.Verify(signature, signedContent, _time.GetUtcNow(), CertificatePurpose.Signing);
        Assert.True(verified.IsValid, verified.ToString());
        Assert.Equal(root.ToArray(), signedContent[24..]);
        return (size, root);
    }

    private static async Task<JsonElement> JsonAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(path);
        return await response.Expect(HttpStatusCode.OK);
    }

    private async Task<ConfigurationAnchor> AnchorAsync()
    {
        using var response = await _admin.GetAsync("api/v1/anchor");
        var anchor = ConfigurationAnchorSerializer.Read(await response.Content.ReadAsByteArrayAsync());
        Assert.True(anchor.Success, anchor.Message);
        return anchor.Value;
    }

    private async Task<ConfigurationClient> NewClientAsync(ConfigurationAnchor? anchor = null, string name = "client")
    {
        anchor ??= await AnchorAsync();
        var storage = _dir.File(name + "-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(storage);
        return new ConfigurationClient(anchor, new HttpClient(), new ConfigurationClientOptions { StorageDirectory = storage }, _time);
    }

    private static async Task<Config.Model.GlobalConfiguration> PollUntilAsync(ConfigurationClient client, Func<Config.Model.GlobalConfiguration, bool> condition)
    {
        for (var i = 0; i < 100; i++)
        {
            var result = await client.PollOnceAsync();
            if (result.IsValid && condition(result.Value))
            {
                return result.Value;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("the expected configuration was not published within 100 polls");
    }

    private async Task StartServerAsync()
    {
        _server = await CentralServerInstance.StartAsync(
            _dir.File("central"),
            time: _time,
            extraArgs:
            [
                $"--urls=http://127.0.0.1:{_port}",
                $"--CentralServer:Publication:ConfigurationUrl=http://127.0.0.1:{_port}",
                "--CentralServer:Publication:GenerationInterval=00:00:05",
                "--CentralServer:Publication:Validity=00:01:00",
            ]);
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
