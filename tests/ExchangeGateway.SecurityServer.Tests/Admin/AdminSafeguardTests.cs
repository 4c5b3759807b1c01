using System.Net;
using System.Text.Json;
using ExchangeGateway.SecurityServer.Admin;
using ExchangeGateway.SecurityServer.Tests.Registry;
using ExchangeGateway.Testing.Time;
using ExchangeGateway.Testing.Tools;
using Microsoft.Extensions.DependencyInjection;
using static ExchangeGateway.SecurityServer.Tests.Admin.RegistryAdminApiTests;

namespace ExchangeGateway.SecurityServer.Tests.Admin;

/// <summary>The admin API's guards over HTTP on a real host: revocation mid-session, the rate limit per key, and the audit log.</summary>
public sealed class AdminSafeguardTests : IAsyncLifetime
{
    private const string Hospital = "DEV%2FGOV%2F70000001%2Fhospital";

    private readonly TempDirectory _dir = new();
    private readonly ManualTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private AdminTestHost _host = null!;

    public async Task InitializeAsync()
    {
        await File.WriteAllTextAsync(_dir.File("serverconf.json"), RegistrySamples.ContractExample);
        _host = await AdminTestHost.StartAsync(_dir.Path, builder =>
        {
            builder.Configuration["SecurityServer:Admin:RateLimitPerSecond"] = "0.5";
            builder.Configuration["SecurityServer:Admin:RateLimitBurst"] = "3";
            builder.Services.AddSingleton<TimeProvider>(_time);
        });
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task RevokedMidSession_TheVeryNextRequestIs401()
    {
        using var admin = _host.Client(_host.CreateKey(AdminRole.SystemAdministrator));
        var key = _host.CreateKey(AdminRole.RegistrationOfficer);
        using var officer = _host.Client(key);
        Assert.Equal(HttpStatusCode.OK, (await officer.GetAsync("api/v1/clients")).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await admin.DeleteAsync($"api/v1/api-keys/{key[..16]}")).StatusCode);

        // Same client, same connection: refused at once, and the write it tries changes nothing.
        var before = _host.Store.Current;
        await AssertProblem(await officer.PutAsync($"api/v1/clients/{Hospital}", Body("{}")), HttpStatusCode.Unauthorized, "admin.unauthorized");
        Assert.Same(before, _host.Store.Current);
    }

    [Fact]
    public async Task RevokedByAnotherProcess_TheNextRequestIs401()
    {
        var key = _host.CreateKey(AdminRole.Observer);
        using var observer = _host.Client(key);
        Assert.Equal(HttpStatusCode.OK, (await observer.GetAsync("api/v1/clients")).StatusCode);

        // Another store on the same file: what the create-api-key command or a second server process would do.
        Assert.NotNull(new AdminApiKeyStore(_dir.Path, _time).Revoke(key[..16]));

        await AssertProblem(await observer.GetAsync("api/v1/clients"), HttpStatusCode.Unauthorized, "admin.unauthorized");
    }

    [Fact]
    public async Task OverTheRate_Is429WithRetryAfter_PerKey_AndRecovers()
    {
        using var first = _host.Client(_host.CreateKey(AdminRole.Observer));
        using var second = _host.Client(_host.CreateKey(AdminRole.Observer));

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await first.GetAsync("api/v1/clients")).StatusCode);
        }

        using var limited = await first.GetAsync("api/v1/clients");
        await AssertProblem(limited, HttpStatusCode.TooManyRequests, "admin.rate_limited");
        Assert.Equal(TimeSpan.FromSeconds(2), limited.Headers.RetryAfter!.Delta);

        // Another key has its own bucket.
        Assert.Equal(HttpStatusCode.OK, (await second.GetAsync("api/v1/clients")).StatusCode);

        // Half the wait is not enough; the whole wait is.
        _time.Advance(TimeSpan.FromSeconds(1));
        using var stillLimited = await first.GetAsync("api/v1/clients");
        await AssertProblem(stillLimited, HttpStatusCode.TooManyRequests, "admin.rate_limited");
        Assert.Equal(TimeSpan.FromSeconds(1), stillLimited.Headers.RetryAfter!.Delta);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.OK, (await first.GetAsync("api/v1/clients")).StatusCode);
    }

    [Fact]
    public async Task RateLimited_Write_ChangesNothing_AndIsAudited()
    {
        var key = _host.CreateKey(AdminRole.RegistrationOfficer);
        using var officer = _host.Client(key);
        for (var i = 0; i < 3; i++)
        {
            await officer.GetAsync("api/v1/clients");
        }

        var before = _host.Store.Current;
        await AssertProblem(await officer.PutAsync($"api/v1/clients/{Hospital}", Body("{}")), HttpStatusCode.TooManyRequests, "admin.rate_limited");

        Assert.Same(before, _host.Store.Current);
        var line = Assert.Single(_host.Audit.ReadLast(10));
        Assert.Equal(("client.put", "admin.rate_limited", 429, key[..16]), (line.Action, line.Outcome, line.Status, line.KeyId));
    }

    [Fact]
    public async Task AuditLog_OneFsyncedLinePerWrite_SuccessesAndRefusals_NoneForReads()
    {
        var adminKey = _host.CreateKey(AdminRole.SystemAdministrator);
        var observerKey = _host.CreateKey(AdminRole.Observer);
        using var admin = _host.Client(adminKey);
        using var observer = _host.Client(observerKey);
        using var anonymous = _host.Client(null);

        Assert.Equal(HttpStatusCode.Created, (await admin.PutAsync($"api/v1/clients/{Hospital}", Body("""{"connectionType":"https"}"""))).StatusCode);
        await AssertProblem(await observer.DeleteAsync($"api/v1/clients/{Hospital}"), HttpStatusCode.Forbidden, "admin.forbidden");
        await AssertProblem(await anonymous.PostAsync("api/v1/clients", Body("""{"id":"DEV/GOV/70000001/x"}""")), HttpStatusCode.Unauthorized, "admin.unauthorized");
        _time.Advance(TimeSpan.FromSeconds(10));
        await AssertProblem(await admin.PostAsync("api/v1/clients", Body("""{"id":"DEV/GOV/70000001/hospital"}""")), HttpStatusCode.Conflict, "registry.conflict");
        Assert.Equal(HttpStatusCode.OK, (await observer.GetAsync("api/v1/clients")).StatusCode);

        var lines = await File.ReadAllLinesAsync(_host.Audit.FilePath);
        Assert.Equal(4, lines.Length);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_host.Audit.FilePath));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(_host.Audit.FilePath)!));
        }

        using (var first = JsonDocument.Parse(lines[0]))
        {
            var e = first.RootElement;
            Assert.Equal("2026-03-01T12:00:00.000Z", e.GetProperty("time").GetString());
            Assert.Equal(adminKey[..16], e.GetProperty("keyId").GetString());
            Assert.Equal("test", e.GetProperty("keyName").GetString());
            Assert.Equal("system-administrator", Assert.Single(e.GetProperty("roles").EnumerateArray()).GetString());
            Assert.Equal("client.put", e.GetProperty("action").GetString());
            Assert.Equal("/clients/DEV/GOV/70000001/hospital", e.GetProperty("target").GetString());
            Assert.Equal("ok", e.GetProperty("outcome").GetString());
            Assert.Equal(201, e.GetProperty("status").GetInt32());
            Assert.Equal("127.0.0.1", e.GetProperty("remote").GetString());
        }

        var entries = _host.Audit.ReadLast(100);
        Assert.Equal(
            [("client.delete", "admin.forbidden", 403, observerKey[..16]), ("client.add", "admin.unauthorized", 401, null), ("client.add", "registry.conflict", 409, adminKey[..16])],
            entries.Skip(1).Select(e => (e.Action, e.Outcome, e.Status, e.KeyId)).ToArray());
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 12, 0, 10, TimeSpan.Zero), entries[3].Time);
        Assert.Empty(entries[2].Roles);

        // No secret of any key is in the log.
        var text = await File.ReadAllTextAsync(_host.Audit.FilePath);
        Assert.DoesNotContain(adminKey[17..], text, StringComparison.Ordinal);
        Assert.DoesNotContain(observerKey[17..], text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuditLogEndpoint_AuditorReadsTheNewest_OthersCannot_LimitIsChecked()
    {
        var adminKey = _host.CreateKey(AdminRole.SystemAdministrator);
        using var admin = _host.Client(adminKey);
        using var auditor = _host.Client(_host.CreateKey(AdminRole.Auditor));
        using var observer = _host.Client(_host.CreateKey(AdminRole.Observer));
        await admin.PutAsync($"api/v1/clients/{Hospital}", Body("{}"));
        await admin.DeleteAsync($"api/v1/clients/{Hospital}");

        using var read = await auditor.GetAsync("api/v1/audit-log?limit=1");
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        var only = Assert.Single((await Json(read)).RootElement.EnumerateArray());
        Assert.Equal(("client.delete", "ok", 204), (only.GetProperty("action").GetString(), only.GetProperty("outcome").GetString(), only.GetProperty("status").GetInt32()));

        await AssertProblem(await observer.GetAsync("api/v1/audit-log"), HttpStatusCode.Forbidden, "admin.forbidden");
        await AssertProblem(await auditor.GetAsync("api/v1/clients"), HttpStatusCode.Forbidden, "admin.forbidden");
        foreach (var bad in new[] { "0", "1001", "-1", "x", "1&limit=2" })
        {
            _time.Advance(TimeSpan.FromSeconds(10)); // The host's rate is 3 at once, 0.5 per second.
            await AssertProblem(await auditor.GetAsync($"api/v1/audit-log?limit={bad}"), HttpStatusCode.BadRequest, "request.invalid");
        }

        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(2, (await Json(await auditor.GetAsync("api/v1/audit-log"))).RootElement.GetArrayLength());
    }
}
