using System.Net;
using ExchangeGateway.CentralServer.Api;
using ExchangeGateway.CentralServer.Auth;
using ExchangeGateway.CentralServer.Tests.Support;
using ExchangeGateway.Testing.Pki;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using static ExchangeGateway.CentralServer.Tests.Support.ApiClient;

namespace ExchangeGateway.CentralServer.Tests;

public sealed class AuthorizationTests
{
    private static readonly Lazy<TestPki> Pki = new(() => TestPki.Create(name: "Auth"));

    [Fact]
    public async Task AnyEndpoint_NoKey_Returns401WithChallenge()
    {
        await using var f = await ServerFixture.StartAsync();
        using var anonymous = f.Server.Client(null);
        foreach (var path in new[] { "api/v1/members", "api/v1/audit", "api/v1/api-keys", "api/v1/registry", "api/v1/no-such-thing" })
        {
            var response = await anonymous.GetAsync(path);
            await response.Expect(HttpStatusCode.Unauthorized, "auth.unauthenticated");
            Assert.StartsWith("X-Api-Key", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        }

        await (await anonymous.PostJson("api/v1/member-classes", new { code = "GOV", description = "x" })).Expect(HttpStatusCode.Unauthorized, "auth.unauthenticated");
    }

    [Theory]
    [InlineData("0123456789abcdef.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("not-a-key")]
    [InlineData("")]
    public async Task AnyEndpoint_UnknownKey_Returns401(string key)
    {
        await using var f = await ServerFixture.StartAsync();
        using var client = f.Server.Client(null);
        client.DefaultRequestHeaders.TryAddWithoutValidation("X-Api-Key", key);
        await (await client.GetAsync("api/v1/members")).Expect(HttpStatusCode.Unauthorized, "auth.unauthenticated");
    }

    [Fact]
    public async Task XApiKeyHeader_ValidKey_IsAccepted()
    {
        await using var f = await ServerFixture.StartAsync();
        using var client = f.Server.Client(null);
        client.DefaultRequestHeaders.Add("X-Api-Key", f.Server.AdminKey);
        await (await client.GetAsync("api/v1/members")).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task TwoHeaders_DifferentKeys_Returns401()
    {
        await using var f = await ServerFixture.StartAsync();
        var observer = await f.Admin.CreateKey("obs", "observer");
        using var client = f.Server.Client(f.Server.AdminKey);
        client.DefaultRequestHeaders.Add("X-Api-Key", observer);
        await (await client.GetAsync("api/v1/members")).Expect(HttpStatusCode.Unauthorized, "auth.unauthenticated");
    }

    [Fact]
    public async Task RevokedKey_MidSession_NextCallReturns401()
    {
        await using var f = await ServerFixture.StartAsync();
        var created = await (await f.Admin.PostJson("api/v1/api-keys", new { name = "officer", roles = new[] { "registration-officer" } })).Expect(HttpStatusCode.Created);
        using var officer = f.Server.Client(created.GetProperty("key").GetString());
        await (await officer.GetAsync("api/v1/members")).Expect(HttpStatusCode.OK);
        await (await officer.PostJson("api/v1/member-classes", new { code = "GOV", description = "x" })).Expect(HttpStatusCode.Forbidden, "auth.forbidden");

        var revoked = await (await f.Admin.DeleteAsync($"api/v1/api-keys/{created.GetProperty("id").GetString()}")).Expect(HttpStatusCode.OK);
        Assert.False(revoked.GetProperty("active").GetBoolean());
        await (await officer.GetAsync("api/v1/members")).Expect(HttpStatusCode.Unauthorized, "auth.unauthenticated");

        var listed = await (await f.Admin.GetAsync("api/v1/api-keys")).Expect(HttpStatusCode.OK);
        Assert.Contains(listed.EnumerateArray(), k => k.GetProperty("name").GetString() == "officer" && !k.GetProperty("active").GetBoolean());
        Assert.DoesNotContain("key\"", listed.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Observer_Writes_Return403AndReadsSucceed()
    {
        await using var f = await ServerFixture.StartAsync();
        await f.Admin.SeedMember();
        using var observer = f.Server.Client(await f.Admin.CreateKey("obs", "observer"));
        foreach (var path in new[] { "api/v1/registry", "api/v1/members", "api/v1/subsystems", "api/v1/security-servers", "api/v1/certification-authorities", "api/v1/timestamping-authorities", "api/v1/global-groups", "api/v1/member-classes", "api/v1/audit" })
        {
            await (await observer.GetAsync(path)).Expect(HttpStatusCode.OK);
        }

        await (await observer.PostJson("api/v1/members", new { id = "EE/GOV/M2", name = "x" })).Expect(HttpStatusCode.Forbidden, "auth.forbidden");
        await (await observer.PutJson($"api/v1/members/{Enc("EE/GOV/M1")}", new { name = "x" })).Expect(HttpStatusCode.Forbidden, "auth.forbidden");
        await (await observer.DeleteAsync($"api/v1/subsystems/{Enc("EE/GOV/M1/sub")}")).Expect(HttpStatusCode.Forbidden, "auth.forbidden");
        await (await observer.PostJson("api/v1/security-servers", new { id = "EE/GOV/M1/ss", address = "a.example" })).Expect(HttpStatusCode.Forbidden, "auth.forbidden");
        await (await observer.PostJson("api/v1/global-groups", new { id = "EE/g", description = "x" })).Expect(HttpStatusCode.Forbidden, "auth.forbidden");
        await (await observer.PostJson("api/v1/timestamping-authorities", new { name = "t", url = "http://t.example/", certificate = Pki.Value.Tsa.ExportCertificatePem() })).Expect(HttpStatusCode.Forbidden, "auth.forbidden");
        await (await observer.GetAsync("api/v1/api-keys")).Expect(HttpStatusCode.Forbidden, "auth.forbidden");
        await (await observer.PostJson("api/v1/api-keys", new { name = "me", roles = new[] { "system-administrator" } })).Expect(HttpStatusCode.Forbidden, "auth.forbidden");
        Assert.Single((await (await observer.GetAsync("api/v1/members")).Expect(HttpStatusCode.OK)).EnumerateArray());
    }

    [Fact]
    public async Task RegistrationOfficer_Registrations_SucceedButTrustServicesAndKeysReturn403()
    {
        await using var f = await ServerFixture.StartAsync();
        await (await f.Admin.PostJson("api/v1/member-classes", new { code = "GOV", description = "Government" })).Expect(HttpStatusCode.Created);
        using var officer = f.Server.Client(await f.Admin.CreateKey("reg", "registration-officer"));
        await (await officer.PostJson("api/v1/members", new { id = "EE/GOV/M1", name = "x" })).Expect(HttpStatusCode.Created);
        await (await officer.PostJson("api/v1/subsystems", new { id = "EE/GOV/M1/sub" })).Expect(HttpStatusCode.Created);
        await (await officer.PostJson("api/v1/security-servers", new { id = "EE/GOV/M1/ss", address = "a.example" })).Expect(HttpStatusCode.Created);
        await (await officer.PostJson("api/v1/global-groups", new { id = "EE/g", description = "x" })).Expect(HttpStatusCode.Created);

        await (await officer.PostJson("api/v1/certification-authorities", new { name = "CA", certificate = Pki.Value.RootCertificate.ExportCertificatePem(), ocspUrl = "http://o.example/" })).Expect(HttpStatusCode.Forbidden, "auth.forbidden");
        await (await officer.PostJson("api/v1/timestamping-authorities", new { name = "t", url = "http://t.example/", certificate = Pki.Value.Tsa.ExportCertificatePem() })).Expect(HttpStatusCode.Forbidden, "auth.forbidden");
        await (await officer.DeleteAsync($"api/v1/certification-authorities/{new string('a', 64)}")).Expect(HttpStatusCode.Forbidden, "auth.forbidden");
        await (await officer.PostJson("api/v1/member-classes", new { code = "COM", description = "x" })).Expect(HttpStatusCode.Forbidden, "auth.forbidden");
        await (await officer.PostJson("api/v1/api-keys", new { name = "me", roles = new[] { "system-administrator" } })).Expect(HttpStatusCode.Forbidden, "auth.forbidden");
        await (await officer.GetAsync("api/v1/api-keys")).Expect(HttpStatusCode.Forbidden, "auth.forbidden");
        await (await officer.DeleteAsync("api/v1/api-keys/0123456789abcdef")).Expect(HttpStatusCode.Forbidden, "auth.forbidden");
    }

    [Fact]
    public async Task SecurityOfficer_TrustServices_SucceedButRegistrationsReturn403()
    {
        await using var f = await ServerFixture.StartAsync();
        await (await f.Admin.PostJson("api/v1/member-classes", new { code = "GOV", description = "Government" })).Expect(HttpStatusCode.Created);
        using var officer = f.Server.Client(await f.Admin.CreateKey("sec", "security-officer"));
        await (await officer.PostJson("api/v1/certification-authorities", new { name = "CA", certificate = Pki.Value.RootCertificate.ExportCertificatePem(), ocspUrl = "http://o.example/" })).Expect(HttpStatusCode.Created);
        await (await officer.PostJson("api/v1/timestamping-authorities", new { name = "t", url = "http://t.example/", certificate = Pki.Value.Tsa.ExportCertificatePem() })).Expect(HttpStatusCode.Created);

        await (await officer.PostJson("api/v1/members", new { id = "EE/GOV/M1", name = "x" })).Expect(HttpStatusCode.Forbidden, "auth.forbidden");
        await (await officer.PostJson("api/v1/subsystems", new { id = "EE/GOV/M1/sub" })).Expect(HttpStatusCode.Forbidden, "auth.forbidden");
        await (await officer.PostJson("api/v1/security-servers", new { id = "EE/GOV/M1/ss", address = "a.example" })).Expect(HttpStatusCode.Forbidden, "auth.forbidden");
        await (await officer.PostJson("api/v1/global-groups", new { id = "EE/g", description = "x" })).Expect(HttpStatusCode.Forbidden, "auth.forbidden");
        await (await officer.PostJson("api/v1/api-keys", new { name = "me", roles = new[] { "observer" } })).Expect(HttpStatusCode.Forbidden, "auth.forbidden");
    }

    [Fact]
    public async Task KeyWithSeveralRoles_GetsTheUnion()
    {
        await using var f = await ServerFixture.StartAsync();
        await (await f.Admin.PostJson("api/v1/member-classes", new { code = "GOV", description = "Government" })).Expect(HttpStatusCode.Created);
        using var both = f.Server.Client(await f.Admin.CreateKey("both", "registration-officer", "security-officer"));
        await (await both.PostJson("api/v1/members", new { id = "EE/GOV/M1", name = "x" })).Expect(HttpStatusCode.Created);
        await (await both.PostJson("api/v1/timestamping-authorities", new { name = "t", url = "http://t.example/", certificate = Pki.Value.Tsa.ExportCertificatePem() })).Expect(HttpStatusCode.Created);
        await (await both.GetAsync("api/v1/api-keys")).Expect(HttpStatusCode.Forbidden, "auth.forbidden");
    }

    [Fact]
    public async Task CreateApiKey_UnknownRoleOrNoRole_Returns400()
    {
        await using var f = await ServerFixture.StartAsync();
        await (await f.Admin.PostJson("api/v1/api-keys", new { name = "x", roles = new[] { "root" } })).Expect(HttpStatusCode.BadRequest, "request.invalid");
        await (await f.Admin.PostJson("api/v1/api-keys", new { name = "x", roles = Array.Empty<string>() })).Expect(HttpStatusCode.BadRequest, "request.invalid");
    }

    [Fact]
    public async Task ManyRequests_OneKey_Returns429AndOtherKeysUnaffected()
    {
        await using var f = await ServerFixture.StartAsync("--CentralServer:RateLimitPerSecond=1", "--CentralServer:RateLimitBurst=5");
        var observerKey = await f.Admin.CreateKey("obs", "observer");
        using var observer = f.Server.Client(observerKey);
        HttpResponseMessage? limited = null;
        for (var i = 0; i < 50 && limited is null; i++)
        {
            var response = await observer.GetAsync("api/v1/registry");
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                limited = response;
            }
        }

        Assert.NotNull(limited);
        await limited.Expect(HttpStatusCode.TooManyRequests, "auth.rate_limited");
        Assert.NotNull(limited.Headers.RetryAfter);

        // The administrator's bucket is separate (it spent 1 of 5 on creating the key).
        await (await f.Admin.GetAsync("api/v1/registry")).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task KeyManagement_FromNonLoopback_Returns403LoopbackOnly()
    {
        await using var f = await ServerFixture.StartAsync();
        var guard = f.Server.Service<ApiKeyAuthentication>();
        var context = new DefaultHttpContext { RequestServices = f.Server.App.Services };
        context.Connection.RemoteIpAddress = IPAddress.Parse("192.0.2.10");
        context.Request.Method = "POST";
        context.Request.Path = "/api/v1/api-keys";
        context.Request.Headers.Authorization = "X-Api-Key " + f.Server.AdminKey;
        context.Response.Body = new MemoryStream();
        context.SetEndpoint(new RouteEndpoint(
            _ => throw new InvalidOperationException("must not run"),
            RoutePatternFactory.Parse("/api/v1/api-keys"),
            0,
            new EndpointMetadataCollection(new ApiAccess(Permission.ManageApiKeys, "api-key.create", LoopbackOnly: true)),
            "test"));
        var reached = false;
        await guard.InvokeAsync(context, _ =>
        {
            reached = true;
            return Task.CompletedTask;
        });
        Assert.False(reached);
        Assert.Equal(403, context.Response.StatusCode);
        context.Response.Body.Position = 0;
        Assert.Contains("auth.loopback_only", new StreamReader(context.Response.Body).ReadToEnd(), StringComparison.Ordinal);

        // The same request from loopback passes the guard.
        context.Connection.RemoteIpAddress = IPAddress.IPv6Loopback;
        await guard.InvokeAsync(context, _ =>
        {
            reached = true;
            return Task.CompletedTask;
        });
        Assert.True(reached);
    }

    [Fact]
    public async Task EveryAdminEndpoint_DeclaresAccess()
    {
        await using var f = await ServerFixture.StartAsync();
        var endpoints = ((IEndpointRouteBuilder)f.Server.App).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>().ToList();
        Assert.True(endpoints.Count(e => e.RoutePattern.RawText!.StartsWith(AdminApi.Prefix, StringComparison.Ordinal)) > 40, $"only {endpoints.Count} endpoints");
        foreach (var endpoint in endpoints.Where(e => e.RoutePattern.RawText!.StartsWith(AdminApi.Prefix, StringComparison.Ordinal)))
        {
            var access = endpoint.Metadata.GetMetadata<ApiAccess>();
            Assert.True(access is not null, $"{endpoint.DisplayName} declares no ApiAccess");
            // Key management (API keys and configuration-signing keys) is loopback-only, and nothing else is.
            var isApiKeys = endpoint.RoutePattern.RawText!.Contains("api-keys", StringComparison.Ordinal);
            var isSigningKeys = endpoint.RoutePattern.RawText!.Contains("signing-keys", StringComparison.Ordinal);
            Assert.Equal(isApiKeys || isSigningKeys, access.LoopbackOnly);
            Assert.Equal(isApiKeys, access.Permission == Permission.ManageApiKeys);
            if (isSigningKeys)
            {
                Assert.Equal(Permission.ManageSigningKeys, access.Permission);
            }
        }
    }
}
