using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using ExchangeGateway.Config.Model;
using ExchangeGateway.SecurityServer.Admin;
using ExchangeGateway.SecurityServer.Registry;
using ExchangeGateway.Testing.Hosting;
using ExchangeGateway.Testing.Pki;
using ExchangeGateway.Testing.Time;
using ExchangeGateway.Testing.Tools;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace ExchangeGateway.SecurityServer.Tests.Backup;

/// <summary>The <c>/api/v1/backups</c> routes on a real loopback host: status codes, problem codes, roles, loopback only.</summary>
public sealed class BackupAdminApiTests : IAsyncLifetime
{
    private const string RemoteAddressHeader = "X-Test-Remote-Address";
    private static readonly string Forbidden = AdminErrors.Code(AdminFailureKind.Forbidden);
    private readonly ManualTimeProvider _time = new();
    private readonly TempDirectory _dir = new();
    private readonly TestPki _pki;
    private readonly GlobalConfiguration _configuration;
    private readonly BackupServer _source;
    private readonly BackupServer _target;
    private LoopbackHost _sourceHost = null!;
    private LoopbackHost _targetHost = null!;

    public BackupAdminApiTests()
    {
        _pki = TestPki.Create(_time);
        _configuration = BackupServer.Configuration(_time, _pki.RootCertificate);
        _source = BackupServer.Populated(_dir.File("a"), _time, _pki, () => _configuration);
        _target = BackupServer.Fresh(_dir.File("b"), _time, () => _configuration);
    }

    public async Task InitializeAsync()
    {
        _sourceHost = await StartAsync(_source);
        _targetHost = await StartAsync(_target);
    }

    public async Task DisposeAsync()
    {
        await _sourceHost.DisposeAsync();
        await _targetHost.DisposeAsync();
        _source.Dispose();
        _target.Dispose();
        _pki.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task CreateListDownloadDelete_RoundTrip()
    {
        using var client = Client(_sourceHost, AdminRole.SystemAdministrator);

        using var created = await client.PostAsync("api/v1/backups", null);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await Json(created);
        var name = body.GetProperty("name").GetString()!;
        Assert.Equal("xgw-backup-ss1-20260101T000000Z.tar", name);
        Assert.Equal($"/api/v1/backups/{name}", created.Headers.Location?.OriginalString);
        Assert.Equal(["name", "size", "sha256"], body.EnumerateObject().Select(p => p.Name));

        var list = await Json(await client.GetAsync("api/v1/backups"));
        Assert.Equal(name, Assert.Single(list.EnumerateArray()).GetProperty("name").GetString());

        using var download = await client.GetAsync($"api/v1/backups/{name}");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("application/x-tar", download.Content.Headers.ContentType?.MediaType);
        var bytes = await download.Content.ReadAsByteArrayAsync();
        Assert.Equal(body.GetProperty("size").GetInt64(), bytes.Length);
        Assert.Equal(body.GetProperty("sha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(bytes)));

        using var deleted = await client.DeleteAsync($"api/v1/backups/{name}");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await AssertProblem(await client.GetAsync($"api/v1/backups/{name}"), HttpStatusCode.NotFound, "backup.not_found");
    }

    [Fact]
    public async Task Restore_ValidBackupOntoAnotherServer_ReturnsServerIdAndFiles()
    {
        using var source = Client(_sourceHost, AdminRole.SystemAdministrator);
        using var target = Client(_targetHost, AdminRole.SystemAdministrator);
        var name = (await Json(await source.PostAsync("api/v1/backups", null))).GetProperty("name").GetString();
        var bytes = await source.GetByteArrayAsync($"api/v1/backups/{name}");

        using var restored = await target.PostAsync("api/v1/backups/restore", Octets(bytes));

        Assert.Equal(HttpStatusCode.OK, restored.StatusCode);
        var body = await Json(restored);
        Assert.Equal("DEV/GOV/70000001/ss1", body.GetProperty("serverId").GetString());
        Assert.Contains("serverconf.json", body.GetProperty("restoredFiles").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal(BackupServer.ServerId, _target.Store.Current?.ServerId);
    }

    [Fact]
    public async Task Restore_TamperedBackup_Is422WithTheCodeAndNothingChanges()
    {
        using var source = Client(_sourceHost, AdminRole.SystemAdministrator);
        using var target = Client(_targetHost, AdminRole.SystemAdministrator);
        var name = (await Json(await source.PostAsync("api/v1/backups", null))).GetProperty("name").GetString()!;
        var original = Path.Combine(_source.DataDirectory, "backups", name);
        var tampered = _dir.File("tampered.tar");
        BackupServer.Rewrite(original, tampered, (entry, bytes) =>
        {
            if (entry == "files/serverconf.json")
            {
                bytes[^2] ^= 0x20;
            }

            return bytes;
        });
        var before = _target.Snapshot();

        var problem = await AssertProblem(await target.PostAsync("api/v1/backups/restore", Octets(File.ReadAllBytes(tampered))), HttpStatusCode.UnprocessableEntity, "backup.tampered");

        Assert.Equal("files/serverconf.json does not match its SHA-256 in the manifest.", problem.GetProperty("detail").GetString());

        // Only the audit log grew, by the refused restore.
        _target.AssertUnchanged(before, AdminAuditLog.DirectoryName);
        var audit = await File.ReadAllLinesAsync(Path.Combine(_target.DataDirectory, AdminAuditLog.DirectoryName, AdminAuditLog.FileName));
        using var entry = JsonDocument.Parse(Assert.Single(audit));
        Assert.Equal("backup.restore", entry.RootElement.GetProperty("action").GetString());
        Assert.Equal("backup.tampered", entry.RootElement.GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task Restore_NotOctetStream_Is415()
    {
        using var target = Client(_targetHost, AdminRole.SystemAdministrator);
        using var content = new ByteArrayContent("{}"u8.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        await AssertProblem(await target.PostAsync("api/v1/backups/restore", content), HttpStatusCode.UnsupportedMediaType, AdminErrors.Code(AdminFailureKind.UnsupportedMediaType));
    }

    [Fact]
    public async Task Create_TokenLoggedOut_Is409TokenNotActive()
    {
        _source.Token.Logout();
        using var client = Client(_sourceHost, AdminRole.SystemAdministrator);

        await AssertProblem(await client.PostAsync("api/v1/backups", null), HttpStatusCode.Conflict, "backup.token_not_active");
    }

    [Theory]
    [InlineData(AdminRole.Observer)]
    [InlineData(AdminRole.ServiceAdministrator)]
    public async Task EveryRoute_WithoutManageSystem_IsForbidden(AdminRole role)
    {
        using var client = Client(_sourceHost, role);

        await AssertProblem(await client.PostAsync("api/v1/backups", null), HttpStatusCode.Forbidden, Forbidden);
        await AssertProblem(await client.GetAsync("api/v1/backups"), HttpStatusCode.Forbidden, Forbidden);
        await AssertProblem(await client.GetAsync("api/v1/backups/xgw-backup-ss1-20260101T000000Z.tar"), HttpStatusCode.Forbidden, Forbidden);
        await AssertProblem(await client.DeleteAsync("api/v1/backups/xgw-backup-ss1-20260101T000000Z.tar"), HttpStatusCode.Forbidden, Forbidden);
        await AssertProblem(await client.PostAsync("api/v1/backups/restore", Octets([1, 2, 3])), HttpStatusCode.Forbidden, Forbidden);
        Assert.False(Directory.Exists(Path.Combine(_source.DataDirectory, "backups")));
    }

    [Fact]
    public async Task Create_FromANonLoopbackAddress_IsLoopbackOnly()
    {
        using var client = Client(_sourceHost, AdminRole.SystemAdministrator);
        client.DefaultRequestHeaders.Add(RemoteAddressHeader, "192.0.2.10");

        await AssertProblem(await client.PostAsync("api/v1/backups", null), HttpStatusCode.Forbidden, AdminErrors.Code(AdminFailureKind.LoopbackOnly));
        Assert.False(Directory.Exists(Path.Combine(_source.DataDirectory, "backups")));
    }

    private static async Task<LoopbackHost> StartAsync(BackupServer server) => await LoopbackHost.StartAsync(
        builder =>
        {
            builder.Services.AddSingleton(server.Store);
            builder.Services.AddSingleton(server.Backups);
            builder.Services.AddServiceRegistry(o => o.DataDirectory = server.DataDirectory);
        },
        app =>
        {
            app.Use((context, next) =>
            {
                if (context.Request.Headers.TryGetValue(RemoteAddressHeader, out var address))
                {
                    context.Connection.RemoteIpAddress = IPAddress.Parse(address.ToString());
                }

                return next(context);
            });
            app.MapRegistryAdminApi();
        });

    private static HttpClient Client(LoopbackHost host, AdminRole role)
    {
        var key = host.App.Services.GetRequiredService<AdminApiKeyStore>().Create("test", [role]).GetValueOrThrow().Key;
        var client = host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("X-Api-Key", key);
        return client;
    }

    private static ByteArrayContent Octets(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return content;
    }

    private static async Task<JsonElement> Json(HttpResponseMessage response)
    {
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }

    private static async Task<JsonElement> AssertProblem(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        using (response)
        {
            Assert.Equal(status, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = await Json(response);
            Assert.Equal(code, problem.GetProperty("code").GetString());
            return problem;
        }
    }
}
