using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ExchangeGateway.Common.Identifiers;
using ExchangeGateway.SecurityServer.Admin;
using ExchangeGateway.SecurityServer.Registry;
using ExchangeGateway.SecurityServer.Tests.Registry;
using ExchangeGateway.Testing.Tools;

namespace ExchangeGateway.SecurityServer.Tests.Admin;

/// <summary>The admin API on a real Kestrel host on 127.0.0.1, driven over HTTP.</summary>
public sealed class RegistryAdminApiTests : IAsyncLifetime
{
    private const string Consumer = "DEV%2FGOV%2F70000001%2Fconsumer";
    private const string Hospital = "DEV%2FGOV%2F70000001%2Fhospital";

    private readonly TempDirectory _dir = new();
    private AdminTestHost _host = null!;
    private string _key = null!;

    public async Task InitializeAsync()
    {
        await File.WriteAllTextAsync(_dir.File("serverconf.json"), RegistrySamples.ContractExample);
        _host = await AdminTestHost.StartAsync(_dir.Path);
        _key = _host.CreateKey();
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task Clients_FullLifecycle_ChangesTheFileAndTheLiveSnapshotTogether()
    {
        using var http = _host.Client(_key);
        var hospital = ClientId.Parse("DEV/GOV/70000001/hospital");

        var list = await http.GetAsync("api/v1/clients");
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Equal("application/json", list.Content.Headers.ContentType!.MediaType);
        Assert.Equal("DEV/GOV/70000001/consumer", (await Json(list)).RootElement[0].GetProperty("id").GetString());

        // A new client: 201 with its location; the file and the snapshot both have it.
        var created = await http.PutAsync($"api/v1/clients/{Hospital}", Body("""{"connectionType":"https"}"""));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal($"/api/v1/clients/{Hospital}", created.Headers.Location!.OriginalString);
        Assert.Equal(ConnectionType.Https, _host.Store.Current!.FindClient(hospital)!.ConnectionType);
        Assert.NotNull(OnDisk().FindClient(hospital));

        // Replacing its settings keeps it in place: 200.
        var hash = Convert.ToHexStringLower(SHA256.HashData("certificate"u8));
        var updated = await http.PutAsync($"api/v1/clients/{Hospital}", Body($$"""{"connectionType":"https-certificate","isCertificates":["{{hash}}"]}"""));
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        Assert.Equal(hash, Assert.Single(_host.Store.Current!.FindClient(hospital)!.IsCertificateHashes));

        // A service, then access rights on it.
        var service = await http.PutAsync($"api/v1/clients/{Hospital}/services/patient-summary", Body("""
            {"type":"rest","url":"https://127.0.0.1:9443/fhir","readTimeoutMs":10000,"endpoints":[{"method":"GET","path":"/Patient/*"}]}
            """));
        Assert.Equal(HttpStatusCode.Created, service.StatusCode);
        Assert.Equal($"/api/v1/clients/{Hospital}/services/patient-summary", service.Headers.Location!.OriginalString);
        var serviceId = new ServiceId(hospital.AsSubsystem()!, "patient-summary");
        Assert.Equal(10_000, _host.Store.Current!.FindService(serviceId)!.ReadTimeoutMs);
        Assert.Equal(AccessDecision.AccessDenied, Decide(serviceId, "/Patient/1"));

        var rights = await http.PutAsync($"api/v1/clients/{Hospital}/services/patient-summary/access-rights", Body("""
            [{"subject":"DEV/ORG/70000002/clinic","method":"GET","path":"/Patient/*"}]
            """));
        Assert.Equal(HttpStatusCode.OK, rights.StatusCode);
        Assert.Equal("DEV/ORG/70000002/clinic", (await Json(rights)).RootElement.GetProperty("accessRights")[0].GetProperty("subject").GetString());
        Assert.Equal(AccessDecision.Allowed, Decide(serviceId, "/Patient/1"));
        Assert.Equal(AccessDecision.Allowed, AccessControl.Decide(OnDisk(), null, RegistrySamples.Clinic, serviceId, "GET", "/Patient/1"));

        var read = await http.GetAsync($"api/v1/clients/{Hospital}/services/patient-summary");
        var readService = (await Json(read)).RootElement;
        Assert.Equal("https://127.0.0.1:9443/fhir", readService.GetProperty("url").GetString());
        Assert.Equal(5000, readService.GetProperty("connectTimeoutMs").GetInt32());

        // A client with services cannot be deleted; its services can, then it can.
        var inUse = await http.DeleteAsync($"api/v1/clients/{Hospital}");
        await AssertProblem(inUse, HttpStatusCode.Conflict, "registry.in_use");
        Assert.Equal(HttpStatusCode.NoContent, (await http.DeleteAsync($"api/v1/clients/{Hospital}/services/patient-summary")).StatusCode);
        Assert.Equal(AccessDecision.UnknownService, Decide(serviceId, "/Patient/1"));
        Assert.Equal(HttpStatusCode.NoContent, (await http.DeleteAsync($"api/v1/clients/{Hospital}")).StatusCode);
        Assert.Null(_host.Store.Current!.FindClient(hospital));
        Assert.Null(OnDisk().FindClient(hospital));
        await AssertProblem(await http.GetAsync($"api/v1/clients/{Hospital}"), HttpStatusCode.NotFound, "registry.not_found");
    }

    [Fact]
    public async Task PutService_Existing_ReplacesTheWholeObject()
    {
        using var http = _host.Client(_key);

        var response = await http.PutAsync($"api/v1/clients/{Consumer}/services/echo", Body("""{"code":"echo","url":"http://127.0.0.1:9001","enabled":false}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var echo = _host.Store.Current!.FindService(ServiceId.Parse("DEV/GOV/70000001/consumer/echo"))!;
        Assert.Equal(("http://127.0.0.1:9001", false), (echo.Url, echo.Enabled));
        Assert.Empty(echo.AccessRights);
    }

    [Fact]
    public async Task Changes_AreLoggedOnceEachWithActionTargetAndKeyId()
    {
        using var http = _host.Client(_key);
        var keyId = _key[..16];

        await http.PutAsync($"api/v1/clients/{Hospital}", Body("{}"));
        await http.DeleteAsync($"api/v1/clients/{Hospital}/services/nope");

        var entries = _host.Logs.Entries.ToArray();
        var changed = Assert.Single(entries, e => e.EventId.Id == 4104);
        Assert.Equal($"Admin change client.put on DEV/GOV/70000001/hospital by API key {keyId}", changed.Message);
        var refused = Assert.Single(entries, e => e.EventId.Id == 4105);
        Assert.Equal($"Admin change service.delete on DEV/GOV/70000001/hospital/nope by API key {keyId} refused: registry.not_found", refused.Message);
        Assert.Contains(entries, e => e.EventId.Id == 4003);
        Assert.DoesNotContain(entries, e => e.Message.Contains(_key[17..], StringComparison.Ordinal));
    }

    [Fact]
    public async Task NoOrBadKey_Is401WithChallenge()
    {
        using var none = _host.Client(null);
        var response = await none.GetAsync("api/v1/clients");
        await AssertProblem(response, HttpStatusCode.Unauthorized, "admin.unauthorized");
        Assert.Equal("X-Api-Key", response.Headers.WwwAuthenticate.Single().Scheme);

        foreach (var key in new[] { "nonsense", _key[..^1] + (_key[^1] == 'A' ? 'B' : 'A'), "0123456789abcdef." + new string('A', 43) })
        {
            using var bad = _host.Client(key);
            await AssertProblem(await bad.GetAsync("api/v1/clients"), HttpStatusCode.Unauthorized, "admin.unauthorized");
        }

        using var bearer = _host.Host.CreateClient();
        bearer.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _key);
        await AssertProblem(await bearer.GetAsync("api/v1/clients"), HttpStatusCode.Unauthorized, "admin.unauthorized");

        using var twice = _host.Host.CreateClient();
        twice.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", ["X-Api-Key " + _key, "X-Api-Key " + _key]);
        await AssertProblem(await twice.GetAsync("api/v1/clients"), HttpStatusCode.Unauthorized, "admin.unauthorized");
    }

    [Fact]
    public async Task Unauthenticated_Write_ChangesNothing()
    {
        using var none = _host.Client(null);
        var before = _host.Store.Current;

        await AssertProblem(await none.PutAsync($"api/v1/clients/{Hospital}", Body("{}")), HttpStatusCode.Unauthorized, "admin.unauthorized");

        Assert.Same(before, _host.Store.Current);
    }

    [Fact]
    public async Task RevokedKey_Is401()
    {
        using var http = _host.Client(_key);
        var other = _host.CreateKey(AdminRole.Observer);
        using var observer = _host.Client(other);
        Assert.Equal(HttpStatusCode.OK, (await observer.GetAsync("api/v1/clients")).StatusCode);

        var revoked = await http.DeleteAsync($"api/v1/api-keys/{other[..16]}");
        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        Assert.False((await Json(revoked)).RootElement.GetProperty("active").GetBoolean());

        await AssertProblem(await observer.GetAsync("api/v1/clients"), HttpStatusCode.Unauthorized, "admin.unauthorized");
    }

    [Fact]
    public async Task Roles_ObserverReadsButCannotWrite_ServiceAdministratorCannotManageKeys()
    {
        using var observer = _host.Client(_host.CreateKey(AdminRole.Observer));
        using var services = _host.Client(_host.CreateKey(AdminRole.ServiceAdministrator));
        using var registration = _host.Client(_host.CreateKey(AdminRole.RegistrationOfficer));

        Assert.Equal(HttpStatusCode.OK, (await observer.GetAsync($"api/v1/clients/{Consumer}/services/echo")).StatusCode);
        await AssertProblem(await observer.PutAsync($"api/v1/clients/{Hospital}", Body("{}")), HttpStatusCode.Forbidden, "admin.forbidden");
        await AssertProblem(await observer.DeleteAsync($"api/v1/clients/{Consumer}/services/echo"), HttpStatusCode.Forbidden, "admin.forbidden");
        await AssertProblem(await services.PutAsync($"api/v1/clients/{Hospital}", Body("{}")), HttpStatusCode.Forbidden, "admin.forbidden");
        Assert.Equal(HttpStatusCode.Created, (await registration.PutAsync($"api/v1/clients/{Hospital}", Body("{}"))).StatusCode);
        await AssertProblem(await services.GetAsync("api/v1/api-keys"), HttpStatusCode.Forbidden, "admin.forbidden");
        Assert.NotNull(_host.Store.Current!.FindService(ServiceId.Parse("DEV/GOV/70000001/consumer/echo")));
    }

    [Fact]
    public async Task ApiKeys_FromLoopbackOnly()
    {
        using var http = _host.Client(_key);
        using var remote = new HttpRequestMessage(HttpMethod.Get, "api/v1/api-keys");
        remote.Headers.Add(AdminTestHost.RemoteAddressHeader, "192.0.2.10");

        await AssertProblem(await http.SendAsync(remote), HttpStatusCode.Forbidden, "admin.loopback_only");

        using var remoteRead = new HttpRequestMessage(HttpMethod.Get, "api/v1/clients");
        remoteRead.Headers.Add(AdminTestHost.RemoteAddressHeader, "192.0.2.10");
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(remoteRead)).StatusCode);

        var list = await http.GetAsync("api/v1/api-keys");
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        var listed = (await Json(list)).RootElement.EnumerateArray().Single();
        Assert.Equal(_key[..16], listed.GetProperty("id").GetString());
        Assert.False(listed.TryGetProperty("key", out _));
    }

    [Fact]
    public async Task CreateKey_ReturnsTheKeyOnceAndItWorks()
    {
        using var http = _host.Client(_key);

        var response = await http.PostAsync("api/v1/api-keys", Body("""{"name":"quickstart","roles":["service-administrator"]}"""));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.True(response.Headers.CacheControl!.NoStore);
        var key = (await Json(response)).RootElement.GetProperty("key").GetString()!;
        using var created = _host.Client(key);
        Assert.Equal(HttpStatusCode.OK, (await created.GetAsync("api/v1/clients")).StatusCode);
        var stored = await File.ReadAllTextAsync(_host.Keys.FilePath);
        Assert.DoesNotContain(key[17..], stored, StringComparison.Ordinal);
        Assert.Contains(Convert.ToHexStringLower(SHA256.HashData(Base64UrlDecode(key[17..]))), stored, StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_host.Keys.FilePath));
        }

        await AssertProblem(await http.PostAsync("api/v1/api-keys", Body("""{"name":"x","roles":["root"]}""")), HttpStatusCode.BadRequest, "request.invalid");
        await AssertProblem(await http.PostAsync("api/v1/api-keys", Body("""{"name":"x","roles":[],"extra":1}""")), HttpStatusCode.BadRequest, "request.invalid");
    }

    [Fact]
    public async Task Missing_ClientOrServiceOrKey_Is404()
    {
        using var http = _host.Client(_key);

        await AssertProblem(await http.GetAsync($"api/v1/clients/{Hospital}"), HttpStatusCode.NotFound, "registry.not_found");
        await AssertProblem(await http.DeleteAsync($"api/v1/clients/{Hospital}"), HttpStatusCode.NotFound, "registry.not_found");
        await AssertProblem(await http.GetAsync($"api/v1/clients/{Consumer}/services/nope"), HttpStatusCode.NotFound, "registry.not_found");
        await AssertProblem(await http.PutAsync($"api/v1/clients/{Hospital}/services/s", Body("""{"url":"http://127.0.0.1:1"}""")), HttpStatusCode.NotFound, "registry.not_found");
        await AssertProblem(await http.PutAsync($"api/v1/clients/{Consumer}/services/nope/access-rights", Body("[]")), HttpStatusCode.NotFound, "registry.not_found");
        await AssertProblem(await http.DeleteAsync("api/v1/api-keys/0123456789abcdef"), HttpStatusCode.NotFound, "registry.not_found");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task OversizedBody_Is413AndChangesNothing(bool chunked)
    {
        using var http = _host.Client(_key);
        var before = _host.Store.Current;
        var padding = new string(' ', AdminTestHost.MaxBodyBytes);
        var json = "{\"url\":\"http://127.0.0.1:1\"" + padding + "}";
        using var content = chunked
            ? new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(json)))
            : (HttpContent)new StringContent(json, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (chunked)
        {
            content.Headers.ContentLength = null;
        }

        using var request = new HttpRequestMessage(HttpMethod.Put, $"api/v1/clients/{Consumer}/services/big") { Content = content };
        request.Headers.TransferEncodingChunked = chunked;
        var response = await http.SendAsync(request);

        await AssertProblem(response, HttpStatusCode.RequestEntityTooLarge, "request.too_large");
        Assert.Same(before, _host.Store.Current);
    }

    [Fact]
    public async Task NonJsonBody_Is415()
    {
        using var http = _host.Client(_key);

        var response = await http.PutAsync($"api/v1/clients/{Hospital}", new StringContent("{}", Encoding.UTF8, "text/plain"));

        await AssertProblem(response, HttpStatusCode.UnsupportedMediaType, "request.unsupported_media_type");
    }

    public static TheoryData<string, string, string, string> BadRequests() => new()
    {
        { "PUT", "api/v1/clients/DEV%2Fgov%20x%2F1%2Fa", "{}", "client.invalid_identifier" },
        { "PUT", "api/v1/clients/DEV%2FGOV", "{}", "client.invalid_identifier" },
        { "PUT", "api/v1/clients/DEV%252FGOV%252F1%252Fa", "{}", "client.invalid_identifier" },
        { "PUT", "api/v1/clients/DEV%2FGOV%2F1%2F%2e%2e", "{}", "client.invalid_identifier" },
        { "PUT", "api/v1/clients/DEV%2FGOV%2F1%2Fa%", "{}", "client.invalid_identifier" },
        { "PUT", "api/v1/clients/EE%2FGOV%2F1%2Fa", "{}", "request.invalid" },
        { "PUT", $"api/v1/clients/{Hospital}", """{"connectionType":"ftp"}""", "request.invalid" },
        { "PUT", $"api/v1/clients/{Hospital}", """{"connectionType":"http","services":[]}""", "request.invalid" },
        { "PUT", $"api/v1/clients/{Hospital}", """{"connectionType":"http","connectionType":"https"}""", "request.invalid" },
        { "PUT", $"api/v1/clients/{Hospital}", """{"id":"DEV/GOV/70000001/other"}""", "request.invalid" },
        { "PUT", $"api/v1/clients/{Hospital}", "[]", "request.invalid" },
        { "PUT", $"api/v1/clients/{Hospital}", "{", "request.invalid" },
        { "PUT", $"api/v1/clients/{Consumer}/services/listMethods", """{"url":"http://127.0.0.1:1"}""", "request.invalid" },
        { "PUT", $"api/v1/clients/{Consumer}/services/getOpenAPI", """{"url":"http://127.0.0.1:1"}""", "request.invalid" },
        { "PUT", $"api/v1/clients/{Consumer}/services/a%20b", """{"url":"http://127.0.0.1:1"}""", "client.invalid_identifier" },
        { "PUT", $"api/v1/clients/{Consumer}/services/a%2Fb", """{"url":"http://127.0.0.1:1"}""", "client.invalid_identifier" },
        { "PUT", $"api/v1/clients/{Consumer}/services/echo", """{"code":"other","url":"http://127.0.0.1:1"}""", "request.invalid" },
        { "PUT", $"api/v1/clients/{Consumer}/services/echo", """{"url":"http://u:p@127.0.0.1:1"}""", "request.invalid" },
        { "PUT", $"api/v1/clients/{Consumer}/services/echo", """{"url":"http://127.0.0.1:1","connectTimeoutMs":0}""", "request.invalid" },
        { "PUT", $"api/v1/clients/{Consumer}/services/echo", """{"url":"http://127.0.0.1:1","unknown":true}""", "request.invalid" },
        { "PUT", "api/v1/clients/DEV%2FGOV%2F70000001/services/echo", """{"url":"http://127.0.0.1:1"}""", "request.invalid" },
        { "PUT", $"api/v1/clients/{Consumer}/services/echo/access-rights", """[{"subject":"DEV/ORG/70000002"}]""", "request.invalid" },
        { "PUT", $"api/v1/clients/{Consumer}/services/echo/access-rights", """[{"subject":"DEV/ORG/70000002/clinic","path":"/a/../b"}]""", "request.invalid" },
        { "PUT", $"api/v1/clients/{Consumer}/services/echo/access-rights", """{"subject":"DEV/ORG/70000002/clinic"}""", "request.invalid" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task BadRequest_Is400WithStableCodeAndChangesNothing(string method, string path, string body, string code)
    {
        using var http = _host.Client(_key);
        var before = _host.Store.Current;
        var bytes = await File.ReadAllBytesAsync(_host.Store.FilePath);
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = Body(body) };

        var response = await http.SendAsync(request);

        var problem = await AssertProblem(response, HttpStatusCode.BadRequest, code);
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("detail").GetString()));
        Assert.Same(before, _host.Store.Current);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(_host.Store.FilePath));
    }

    [Fact]
    public async Task BadRequest_MessageNamesTheBadItem()
    {
        using var http = _host.Client(_key);

        var response = await http.PutAsync($"api/v1/clients/{Consumer}/services/echo", Body("""{"url":"http://127.0.0.1:1","endpoints":[{"method":"GET","path":"/ok"},{"method":"get","path":"/x"}]}"""));

        var problem = await AssertProblem(response, HttpStatusCode.BadRequest, "request.invalid");
        Assert.Contains("$.endpoints[1].method", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConcurrentPuts_AllLandInTheFileAndTheSnapshot()
    {
        using var http = _host.Client(_key);

        var responses = await Task.WhenAll(Enumerable.Range(0, 16).Select(i =>
            http.PutAsync($"api/v1/clients/{Consumer}/services/s{i}", Body("""{"url":"http://127.0.0.1:1"}"""))));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        Assert.Equal(17, _host.Store.Current!.Clients[0].Services.Length);
        Assert.Equal(17, OnDisk().Clients[0].Services.Length);
    }

    private LocalConfiguration OnDisk() => LocalConfigurationSerializer.Read(File.ReadAllBytes(_host.Store.FilePath)).GetValueOrThrow();

    private AccessDecision Decide(ServiceId service, string path) =>
        AccessControl.Decide(_host.Store.Current!, null, RegistrySamples.Clinic, service, "GET", path);

    internal static StringContent Body(string json) => new(json, Encoding.UTF8, "application/json");

    internal static async Task<JsonDocument> Json(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync());

    internal static async Task<JsonElement> AssertProblem(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {status}, got {response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(text).RootElement;
        Assert.Equal(code, problem.GetProperty("code").GetString());
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        return problem;
    }

    private static byte[] Base64UrlDecode(string text) => System.Buffers.Text.Base64Url.DecodeFromChars(text);
}
