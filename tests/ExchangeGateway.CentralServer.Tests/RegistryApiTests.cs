using System.Net;
using System.Security.Cryptography;
using System.Text;
using ExchangeGateway.CentralServer.Tests.Support;
using ExchangeGateway.Testing.Pki;
using static ExchangeGateway.CentralServer.Tests.Support.ApiClient;

namespace ExchangeGateway.CentralServer.Tests;

public sealed class RegistryApiTests
{
    private static readonly Lazy<TestPki> Pki = new(() => TestPki.Create(name: "Registry"));

    [Fact]
    public async Task MemberClassesAndMembers_CreateReadUpdateDelete_RoundTrip()
    {
        await using var f = await ServerFixture.StartAsync();
        var admin = f.Admin;
        var created = await admin.PostJson("api/v1/member-classes", new { code = "GOV", description = "Government" });
        Assert.Equal("/api/v1/member-classes/GOV", created.Headers.Location?.OriginalString);
        await created.Expect(HttpStatusCode.Created);

        var member = await (await admin.PostJson("api/v1/members", new { id = "EE/GOV/70000001", name = "Ministry" })).Expect(HttpStatusCode.Created);
        Assert.Equal("EE/GOV/70000001", member.GetProperty("id").GetString());

        var read = await (await admin.GetAsync($"api/v1/members/{Enc("EE/GOV/70000001")}")).Expect(HttpStatusCode.OK);
        Assert.Equal("Ministry", read.GetProperty("name").GetString());

        await (await admin.PutJson($"api/v1/members/{Enc("EE/GOV/70000001")}", new { name = "Ministry of Health" })).Expect(HttpStatusCode.OK);
        var list = await (await admin.GetAsync("api/v1/members")).Expect(HttpStatusCode.OK);
        Assert.Equal("Ministry of Health", Assert.Single(list.EnumerateArray()).GetProperty("name").GetString());

        await (await admin.PutJson("api/v1/member-classes/GOV", new { description = "Public sector" })).Expect(HttpStatusCode.OK);
        Assert.Equal("Public sector", (await (await admin.GetAsync("api/v1/member-classes/GOV")).Expect(HttpStatusCode.OK)).GetProperty("description").GetString());

        await (await admin.DeleteAsync($"api/v1/members/{Enc("EE/GOV/70000001")}")).Expect(HttpStatusCode.NoContent);
        await (await admin.GetAsync($"api/v1/members/{Enc("EE/GOV/70000001")}")).Expect(HttpStatusCode.NotFound, "registry.not_found");
        await (await admin.DeleteAsync("api/v1/member-classes/GOV")).Expect(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task Subsystems_CreateReadUpdateDelete_RoundTrip()
    {
        await using var f = await ServerFixture.StartAsync();
        await f.Admin.SeedMember();
        var path = $"api/v1/subsystems/{Enc("EE/GOV/M1/sub")}";
        var read = await (await f.Admin.GetAsync(path)).Expect(HttpStatusCode.OK);
        Assert.Equal("EE/GOV/M1", read.GetProperty("member").GetString());
        await (await f.Admin.PutJson(path, new { name = "Patient records" })).Expect(HttpStatusCode.OK);
        var bymember = await (await f.Admin.GetAsync($"api/v1/members/{Enc("EE/GOV/M1")}/subsystems")).Expect(HttpStatusCode.OK);
        Assert.Equal("Patient records", Assert.Single(bymember.EnumerateArray()).GetProperty("name").GetString());
        await (await f.Admin.DeleteAsync(path)).Expect(HttpStatusCode.NoContent);
        await (await f.Admin.GetAsync(path)).Expect(HttpStatusCode.NotFound, "registry.not_found");
    }

    [Fact]
    public async Task SecurityServers_CertificatesAndClients_RoundTrip()
    {
        await using var f = await ServerFixture.StartAsync();
        await f.Admin.SeedMember();
        var server = await (await f.Admin.PostJson("api/v1/security-servers", new { id = "EE/GOV/M1/ss1", address = "ss1.example.org" })).Expect(HttpStatusCode.Created);
        Assert.Equal("EE/GOV/M1", server.GetProperty("owner").GetString());
        var path = $"api/v1/security-servers/{Enc("EE/GOV/M1/ss1")}";

        using var auth = Pki.Value.IssueAuthentication("EE", "GOV", "M1", "ss1");
        var expectedHash = Convert.ToHexStringLower(SHA256.HashData(auth.RawData));
        var withCert = await (await f.Admin.PostJson($"{path}/authentication-certificates", new { certificate = auth.ExportCertificatePem() })).Expect(HttpStatusCode.OK);
        Assert.Equal(expectedHash, Assert.Single(withCert.GetProperty("authenticationCertificateHashes").EnumerateArray()).GetString());
        var otherHash = new string('A', 64);
        await (await f.Admin.PostJson($"{path}/authentication-certificates", new { hash = otherHash })).Expect(HttpStatusCode.OK);

        await (await f.Admin.PostJson($"{path}/clients", new { id = "EE/GOV/M1/sub" })).Expect(HttpStatusCode.OK);
        await (await f.Admin.PostJson($"{path}/clients", new { id = "EE/GOV/M1" })).Expect(HttpStatusCode.OK);
        await (await f.Admin.PutJson(path, new { address = "10.0.0.5" })).Expect(HttpStatusCode.OK);

        var read = await (await f.Admin.GetAsync(path)).Expect(HttpStatusCode.OK);
        Assert.Equal("10.0.0.5", read.GetProperty("address").GetString());
        Assert.Equal(["EE/GOV/M1", "EE/GOV/M1/sub"], read.GetProperty("clients").EnumerateArray().Select(e => e.GetString()!).ToArray());
        Assert.Equal(
            new[] { expectedHash, otherHash.ToLowerInvariant() }.Order(StringComparer.Ordinal),
            read.GetProperty("authenticationCertificateHashes").EnumerateArray().Select(e => e.GetString()!));

        await (await f.Admin.DeleteAsync($"{path}/clients/{Enc("EE/GOV/M1/sub")}")).Expect(HttpStatusCode.OK);
        await (await f.Admin.DeleteAsync($"{path}/authentication-certificates/{expectedHash}")).Expect(HttpStatusCode.OK);
        read = await (await f.Admin.GetAsync(path)).Expect(HttpStatusCode.OK);
        Assert.Equal("EE/GOV/M1", Assert.Single(read.GetProperty("clients").EnumerateArray()).GetString());
        Assert.Single(read.GetProperty("authenticationCertificateHashes").EnumerateArray());

        await (await f.Admin.DeleteAsync(path)).Expect(HttpStatusCode.NoContent);
        await (await f.Admin.GetAsync(path)).Expect(HttpStatusCode.NotFound, "registry.not_found");
    }

    [Fact]
    public async Task CertificationAuthorities_CreateReadUpdateDelete_RoundTrip()
    {
        await using var f = await ServerFixture.StartAsync();
        var pki = Pki.Value;
        var created = await (await f.Admin.PostJson("api/v1/certification-authorities", new
        {
            name = "Test CA",
            certificate = pki.IntermediateCertificate.ExportCertificatePem(),
            ocspUrl = "http://127.0.0.1:4300/ocsp",
            ocspResponderCertificate = Convert.ToBase64String(pki.OcspResponder.RawData),
            profile = new { memberCodeRdn = "SERIALNUMBER" },
        })).Expect(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetString()!;
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(pki.IntermediateCertificate.RawData)), id);
        Assert.Equal("SERIALNUMBER", created.GetProperty("profile").GetProperty("memberCodeRdn").GetString());
        Assert.Equal("O", created.GetProperty("profile").GetProperty("memberClassRdn").GetString());
        Assert.Equal("C", created.GetProperty("profile").GetProperty("instanceRdn").GetString());

        await (await f.Admin.PutJson($"api/v1/certification-authorities/{id}", new { name = "Renamed CA", ocspUrl = "https://ocsp.example.org/" })).Expect(HttpStatusCode.OK);
        var read = await (await f.Admin.GetAsync($"api/v1/certification-authorities/{id}")).Expect(HttpStatusCode.OK);
        Assert.Equal("Renamed CA", read.GetProperty("name").GetString());
        Assert.Equal("https://ocsp.example.org/", read.GetProperty("ocspUrl").GetString());
        Assert.Equal(JsonValueKindNull, read.GetProperty("ocspResponderCertificate").ValueKind);
        Assert.Contains("BEGIN CERTIFICATE", read.GetProperty("certificate").GetString(), StringComparison.Ordinal);

        await (await f.Admin.PostJson("api/v1/certification-authorities", new { name = "Again", certificate = pki.IntermediateCertificate.ExportCertificatePem(), ocspUrl = "http://x.example/" }))
            .Expect(HttpStatusCode.Conflict, "registry.conflict");
        await (await f.Admin.DeleteAsync($"api/v1/certification-authorities/{id}")).Expect(HttpStatusCode.NoContent);
        Assert.Empty((await (await f.Admin.GetAsync("api/v1/certification-authorities")).Expect(HttpStatusCode.OK)).EnumerateArray());
    }

    [Fact]
    public async Task CertificationAuthorities_LeafCertificate_IsRejected()
    {
        await using var f = await ServerFixture.StartAsync();
        using var leaf = Pki.Value.IssueSigning("EE", "GOV", "M1");
        await (await f.Admin.PostJson("api/v1/certification-authorities", new { name = "Leaf", certificate = leaf.ExportCertificatePem(), ocspUrl = "http://x.example/" }))
            .Expect(HttpStatusCode.BadRequest, "request.invalid");
        await (await f.Admin.PostJson("api/v1/certification-authorities", new { name = "Bad RDN", certificate = Pki.Value.RootCertificate.ExportCertificatePem(), ocspUrl = "http://x.example/", profile = new { instanceRdn = "XX" } }))
            .Expect(HttpStatusCode.BadRequest, "request.invalid");
        await (await f.Admin.PostJson("api/v1/certification-authorities", new { name = "Bad URL", certificate = Pki.Value.RootCertificate.ExportCertificatePem(), ocspUrl = "ftp://x.example/" }))
            .Expect(HttpStatusCode.BadRequest, "request.invalid");
    }

    [Fact]
    public async Task TimestampingAuthorities_CreateReadUpdateDelete_RoundTrip()
    {
        await using var f = await ServerFixture.StartAsync();
        var created = await (await f.Admin.PostJson("api/v1/timestamping-authorities", new { name = "TSA", url = "http://127.0.0.1:4300/tsa", certificate = Pki.Value.Tsa.ExportCertificatePem() }))
            .Expect(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetString()!;
        await (await f.Admin.PutJson($"api/v1/timestamping-authorities/{id}", new { name = "TSA 2", url = "https://tsa.example.org/" })).Expect(HttpStatusCode.OK);
        var read = await (await f.Admin.GetAsync($"api/v1/timestamping-authorities/{id}")).Expect(HttpStatusCode.OK);
        Assert.Equal("TSA 2", read.GetProperty("name").GetString());
        Assert.Equal("https://tsa.example.org/", read.GetProperty("url").GetString());
        await (await f.Admin.DeleteAsync($"api/v1/timestamping-authorities/{id}")).Expect(HttpStatusCode.NoContent);
        await (await f.Admin.GetAsync($"api/v1/timestamping-authorities/{id}")).Expect(HttpStatusCode.NotFound, "registry.not_found");
    }

    [Fact]
    public async Task GlobalGroups_MembersAddRemove_RoundTrip()
    {
        await using var f = await ServerFixture.StartAsync();
        await f.Admin.SeedMember();
        await (await f.Admin.PostJson("api/v1/global-groups", new { id = "EE/security-server-owners", description = "Owners" })).Expect(HttpStatusCode.Created);
        var path = $"api/v1/global-groups/{Enc("EE/security-server-owners")}";
        await (await f.Admin.PostJson($"{path}/members", new { id = "EE/GOV/M1" })).Expect(HttpStatusCode.OK);
        var group = await (await f.Admin.PostJson($"{path}/members", new { id = "EE/GOV/M1/sub" })).Expect(HttpStatusCode.OK);
        Assert.Equal(2, group.GetProperty("members").GetArrayLength());
        await (await f.Admin.PostJson($"{path}/members", new { id = "EE/GOV/M1" })).Expect(HttpStatusCode.Conflict, "registry.conflict");
        await (await f.Admin.PutJson(path, new { description = "Server owners" })).Expect(HttpStatusCode.OK);
        await (await f.Admin.DeleteAsync($"{path}/members/{Enc("EE/GOV/M1")}")).Expect(HttpStatusCode.OK);
        var read = await (await f.Admin.GetAsync(path)).Expect(HttpStatusCode.OK);
        Assert.Equal("Server owners", read.GetProperty("description").GetString());
        Assert.Equal("EE/GOV/M1/sub", Assert.Single(read.GetProperty("members").EnumerateArray()).GetString());
        await (await f.Admin.DeleteAsync(path)).Expect(HttpStatusCode.NoContent);
        await (await f.Admin.GetAsync(path)).Expect(HttpStatusCode.NotFound, "registry.not_found");
    }

    [Fact]
    public async Task AddMember_UnknownMemberClass_Returns422InvalidReference()
    {
        await using var f = await ServerFixture.StartAsync();
        await (await f.Admin.PostJson("api/v1/members", new { id = "EE/COM/1", name = "Company" })).Expect(HttpStatusCode.UnprocessableEntity, "registry.invalid_reference");
    }

    [Fact]
    public async Task AddMember_OtherInstance_Returns422InvalidReference()
    {
        await using var f = await ServerFixture.StartAsync();
        await f.Admin.SeedMember();
        await (await f.Admin.PostJson("api/v1/members", new { id = "FI/GOV/1", name = "Elsewhere" })).Expect(HttpStatusCode.UnprocessableEntity, "registry.invalid_reference");
    }

    [Fact]
    public async Task AddSubsystem_UnknownMember_Returns422InvalidReference()
    {
        await using var f = await ServerFixture.StartAsync();
        await f.Admin.SeedMember();
        await (await f.Admin.PostJson("api/v1/subsystems", new { id = "EE/GOV/NOPE/sub" })).Expect(HttpStatusCode.UnprocessableEntity, "registry.invalid_reference");
    }

    [Fact]
    public async Task AddSecurityServer_UnknownOwner_Returns422InvalidReference()
    {
        await using var f = await ServerFixture.StartAsync();
        await f.Admin.SeedMember();
        await (await f.Admin.PostJson("api/v1/security-servers", new { id = "EE/GOV/NOPE/ss1", address = "ss1.example.org" })).Expect(HttpStatusCode.UnprocessableEntity, "registry.invalid_reference");
    }

    [Fact]
    public async Task AddClient_Unregistered_Returns422InvalidReference()
    {
        await using var f = await ServerFixture.StartAsync();
        await f.Admin.SeedMember();
        await (await f.Admin.PostJson("api/v1/security-servers", new { id = "EE/GOV/M1/ss1", address = "ss1.example.org" })).Expect(HttpStatusCode.Created);
        var path = $"api/v1/security-servers/{Enc("EE/GOV/M1/ss1")}/clients";
        await (await f.Admin.PostJson(path, new { id = "EE/GOV/M1/other" })).Expect(HttpStatusCode.UnprocessableEntity, "registry.invalid_reference");
        await (await f.Admin.PostJson(path, new { id = "EE/GOV/M2" })).Expect(HttpStatusCode.UnprocessableEntity, "registry.invalid_reference");
        await (await f.Admin.PostJson($"api/v1/security-servers/{Enc("EE/GOV/M1/none")}/clients", new { id = "EE/GOV/M1" })).Expect(HttpStatusCode.NotFound, "registry.not_found");
    }

    [Fact]
    public async Task DeleteMember_WithSubsystems_Returns409InUse()
    {
        await using var f = await ServerFixture.StartAsync();
        await f.Admin.SeedMember();
        await (await f.Admin.DeleteAsync($"api/v1/members/{Enc("EE/GOV/M1")}")).Expect(HttpStatusCode.Conflict, "registry.in_use");
        await (await f.Admin.DeleteAsync("api/v1/member-classes/GOV")).Expect(HttpStatusCode.Conflict, "registry.in_use");
    }

    [Fact]
    public async Task DeleteSubsystem_HostedOrGrouped_Returns409InUse()
    {
        await using var f = await ServerFixture.StartAsync();
        await f.Admin.SeedMember();
        await (await f.Admin.PostJson("api/v1/security-servers", new { id = "EE/GOV/M1/ss1", address = "ss1.example.org" })).Expect(HttpStatusCode.Created);
        await (await f.Admin.PostJson($"api/v1/security-servers/{Enc("EE/GOV/M1/ss1")}/clients", new { id = "EE/GOV/M1/sub" })).Expect(HttpStatusCode.OK);
        await (await f.Admin.DeleteAsync($"api/v1/subsystems/{Enc("EE/GOV/M1/sub")}")).Expect(HttpStatusCode.Conflict, "registry.in_use");
    }

    [Fact]
    public async Task Create_Duplicate_Returns409Conflict()
    {
        await using var f = await ServerFixture.StartAsync();
        await f.Admin.SeedMember();
        await (await f.Admin.PostJson("api/v1/member-classes", new { code = "GOV", description = "again" })).Expect(HttpStatusCode.Conflict, "registry.conflict");
        await (await f.Admin.PostJson("api/v1/members", new { id = "EE/GOV/M1", name = "again" })).Expect(HttpStatusCode.Conflict, "registry.conflict");
        await (await f.Admin.PostJson("api/v1/subsystems", new { id = "EE/GOV/M1/sub" })).Expect(HttpStatusCode.Conflict, "registry.conflict");
        await (await f.Admin.PostJson("api/v1/security-servers", new { id = "EE/GOV/M1/ss1", address = "a.example" })).Expect(HttpStatusCode.Created);
        await (await f.Admin.PostJson("api/v1/security-servers", new { id = "EE/GOV/M1/ss1", address = "a.example" })).Expect(HttpStatusCode.Conflict, "registry.conflict");
        await (await f.Admin.PostJson("api/v1/security-servers", new { id = "EE/GOV/M1/ss2", address = "b.example" })).Expect(HttpStatusCode.Created);
        var hash = new string('b', 64);
        await (await f.Admin.PostJson($"api/v1/security-servers/{Enc("EE/GOV/M1/ss1")}/authentication-certificates", new { hash })).Expect(HttpStatusCode.OK);
        await (await f.Admin.PostJson($"api/v1/security-servers/{Enc("EE/GOV/M1/ss2")}/authentication-certificates", new { hash })).Expect(HttpStatusCode.Conflict, "registry.conflict");
    }

    [Theory]
    [InlineData("api/v1/members/EE%2FGOV")]
    [InlineData("api/v1/members/EE%2FGOV%2F1%2F2")]
    [InlineData("api/v1/members/EE%2FGOV%2Fbad%20code")]
    [InlineData("api/v1/members/EE%2FGOV%2F%252F")]
    [InlineData("api/v1/members/EE%2FGOV%2F%C3%A9")]
    [InlineData("api/v1/subsystems/EE%2FGOV%2FM1")]
    [InlineData("api/v1/security-servers/EE%2FGOV%2FM1%2F..")]
    [InlineData("api/v1/global-groups/EE%2Fa%2Fb")]
    [InlineData("api/v1/member-classes/G%20V")]
    public async Task Get_BadIdentifierInPath_Returns400InvalidIdentifier(string path)
    {
        await using var f = await ServerFixture.StartAsync();
        await (await f.Admin.GetAsync(path)).Expect(HttpStatusCode.BadRequest, "client.invalid_identifier");
    }

    [Fact]
    public async Task Get_EncodedNulInPath_Returns400()
    {
        // Kestrel refuses %00 in the path itself, before routing; the identifier parser would too.
        await using var f = await ServerFixture.StartAsync();
        Assert.Equal(HttpStatusCode.BadRequest, (await f.Admin.GetAsync("api/v1/members/EE%2FGOV%2F%00")).StatusCode);
    }

    [Fact]
    public async Task Post_BadIdentifierInBody_Returns400InvalidIdentifier()
    {
        await using var f = await ServerFixture.StartAsync();
        await f.Admin.SeedMember();
        await (await f.Admin.PostJson("api/v1/members", new { id = "EE/GOV/a b", name = "x" })).Expect(HttpStatusCode.BadRequest, "client.invalid_identifier");
        await (await f.Admin.PostJson("api/v1/member-classes", new { code = "G/V", description = "x" })).Expect(HttpStatusCode.BadRequest, "client.invalid_identifier");
        await (await f.Admin.PostJson("api/v1/subsystems", new { id = "EE/GOV/M1" })).Expect(HttpStatusCode.BadRequest, "client.invalid_identifier");
    }

    [Fact]
    public async Task Post_OversizedBody_Returns413()
    {
        await using var f = await ServerFixture.StartAsync("--CentralServer:MaxRequestBytes=2048");
        var name = new string('x', 4096);
        await (await f.Admin.PostJson("api/v1/member-classes", new { code = "GOV", description = name })).Expect(HttpStatusCode.RequestEntityTooLarge, "request.too_large");

        // Chunked (no Content-Length): the cap holds whatever the framing.
        var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes($"{{\"code\":\"GOV\",\"description\":\"{name}\"}}")));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/member-classes") { Content = content };
        request.Headers.TransferEncodingChunked = true;
        await (await f.Admin.SendAsync(request)).Expect(HttpStatusCode.RequestEntityTooLarge, "request.too_large");
        Assert.Empty((await (await f.Admin.GetAsync("api/v1/member-classes")).Expect(HttpStatusCode.OK)).EnumerateArray());
    }

    [Theory]
    [InlineData("{\"code\":\"GOV\"}")]
    [InlineData("{\"code\":\"GOV\",\"description\":\"a\",\"extra\":1}")]
    [InlineData("{\"code\":\"GOV\",\"code\":\"COM\",\"description\":\"a\"}")]
    [InlineData("{\"code\":null,\"description\":\"a\"}")]
    [InlineData("[1,2]")]
    [InlineData("{\"code\":\"GOV\",\"description\":\"a\"")]
    public async Task Post_MalformedJson_Returns400RequestInvalid(string json)
    {
        await using var f = await ServerFixture.StartAsync();
        await (await f.Admin.PostRaw("api/v1/member-classes", json)).Expect(HttpStatusCode.BadRequest, "request.invalid");
    }

    [Fact]
    public async Task Post_NotJson_Returns415()
    {
        await using var f = await ServerFixture.StartAsync();
        var response = await f.Admin.PostAsync("api/v1/member-classes", new StringContent("code=GOV", Encoding.UTF8, "application/x-www-form-urlencoded"));
        await response.Expect(HttpStatusCode.UnsupportedMediaType, "request.unsupported_media_type");
    }

    private const System.Text.Json.JsonValueKind JsonValueKindNull = System.Text.Json.JsonValueKind.Null;
}
