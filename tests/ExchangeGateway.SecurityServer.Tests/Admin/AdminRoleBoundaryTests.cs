using System.Net;
using System.Text.Json;
using ExchangeGateway.SecurityServer.Admin;
using ExchangeGateway.SecurityServer.Onboarding;
using ExchangeGateway.SecurityServer.Tests.Registry;
using ExchangeGateway.Testing.Tools;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using static ExchangeGateway.SecurityServer.Tests.Admin.RegistryAdminApiTests;

namespace ExchangeGateway.SecurityServer.Tests.Admin;

/// <summary>
/// Every admin route against every role, over HTTP on a real host: the expected permission of each route and
/// the contract's role matrix are written out here independently of the code, so a wrong
/// <see cref="AdminAccess"/> or a wrong matrix entry fails. The loopback-only rule is tested with the test
/// host's <c>X-Test-Remote-Address</c> header, which a test middleware turns into
/// <c>Connection.RemoteIpAddress</c> before routing (the production host has no such middleware).
/// </summary>
public sealed class AdminRoleBoundaryTests : IAsyncLifetime
{
    /// <summary>The contract's matrix (ISSUE6-CONTRACTS.md, "Admin API"), by role name.</summary>
    private static readonly Dictionary<string, string[]> Matrix = new()
    {
        ["system-administrator"] = ["ReadRegistry", "ManageServices", "ManageClients", "ManageKeys", "ManageSystem", "ManageApiKeys", "ReadDiagnostics", "ReadAudit"],
        ["security-officer"] = ["ReadRegistry", "ManageKeys", "ReadDiagnostics"],
        ["registration-officer"] = ["ReadRegistry", "ManageClients", "ReadDiagnostics"],
        ["service-administrator"] = ["ReadRegistry", "ManageServices", "ReadDiagnostics"],
        ["observer"] = ["ReadRegistry", "ReadDiagnostics"],
        ["auditor"] = ["ReadMessageLog", "ReadAudit"],
    };

    /// <summary>Every route: method, template below /api/v1, permission, loopback only.</summary>
    private static readonly (string Method, string Route, string Permission, bool Loopback)[] Routes =
    [
        ("GET", "/clients", "ReadRegistry", false),
        ("POST", "/clients", "ManageClients", false),
        ("GET", "/clients/{clientId}", "ReadRegistry", false),
        ("PUT", "/clients/{clientId}", "ManageClients", false),
        ("DELETE", "/clients/{clientId}", "ManageClients", false),
        ("POST", "/clients/{clientId}/register", "ManageClients", false),
        ("POST", "/clients/{clientId}/unregister", "ManageClients", false),
        ("POST", "/clients/{clientId}/disable", "ManageClients", false),
        ("POST", "/clients/{clientId}/enable", "ManageClients", false),
        ("PUT", "/clients/{clientId}/connection-type", "ManageClients", false),
        ("POST", "/clients/{clientId}/is-certificates", "ManageClients", false),
        ("DELETE", "/clients/{clientId}/is-certificates/{hash}", "ManageClients", false),
        ("GET", "/clients/{clientId}/services/{serviceCode}", "ReadRegistry", false),
        ("PUT", "/clients/{clientId}/services/{serviceCode}", "ManageServices", false),
        ("DELETE", "/clients/{clientId}/services/{serviceCode}", "ManageServices", false),
        ("PUT", "/clients/{clientId}/services/{serviceCode}/access-rights", "ManageServices", false),
        ("GET", "/clients/{clientId}/service-descriptions", "ReadRegistry", false),
        ("POST", "/clients/{clientId}/service-descriptions", "ManageServices", false),
        ("GET", "/clients/{clientId}/service-descriptions/{descriptionId}", "ReadRegistry", false),
        ("DELETE", "/clients/{clientId}/service-descriptions/{descriptionId}", "ManageServices", false),
        ("POST", "/clients/{clientId}/service-descriptions/{descriptionId}/refresh", "ManageServices", false),
        ("POST", "/clients/{clientId}/service-descriptions/{descriptionId}/enable", "ManageServices", false),
        ("POST", "/clients/{clientId}/service-descriptions/{descriptionId}/disable", "ManageServices", false),
        ("GET", "/clients/{clientId}/local-groups", "ReadRegistry", false),
        ("POST", "/clients/{clientId}/local-groups", "ManageServices", false),
        ("GET", "/clients/{clientId}/local-groups/{groupCode}", "ReadRegistry", false),
        ("PATCH", "/clients/{clientId}/local-groups/{groupCode}", "ManageServices", false),
        ("DELETE", "/clients/{clientId}/local-groups/{groupCode}", "ManageServices", false),
        ("POST", "/clients/{clientId}/local-groups/{groupCode}/members", "ManageServices", false),
        ("DELETE", "/clients/{clientId}/local-groups/{groupCode}/members/{member}", "ManageServices", false),
        ("GET", "/initialisation", "ReadRegistry", false),
        ("POST", "/initialisation", "ManageSystem", false),
        ("GET", "/system/server", "ReadRegistry", false),
        ("PUT", "/system/address", "ManageSystem", false),
        ("PUT", "/system/owner", "ManageClients", false),
        ("GET", "/system/anchor", "ReadRegistry", false),
        ("GET", "/system/anchor/download", "ReadRegistry", false),
        ("PUT", "/system/anchor", "ManageSystem", false),
        ("GET", "/timestamping-services/approved", "ReadRegistry", false),
        ("GET", "/system/timestamping-services", "ReadRegistry", false),
        ("POST", "/system/timestamping-services", "ManageSystem", false),
        ("DELETE", "/system/timestamping-services/{name}", "ManageSystem", false),
        ("GET", "/management-requests", "ReadRegistry", false),
        ("GET", "/audit-log", "ReadAudit", false),
        ("GET", "/message-log/status", "ReadMessageLog", false),
        ("GET", "/message-log/checkpoints", "ReadMessageLog", false),
        ("GET", "/message-log/records/{sequence}/inclusion", "ReadMessageLog", false),
        ("GET", "/message-log/consistency", "ReadMessageLog", false),
        ("GET", "/message-log/records", "ReadMessageLog", false),
        ("GET", "/message-log/integrity", "ReadMessageLog", false),
        ("POST", "/message-log/retention-runs", "ManageSystem", false),
        ("GET", "/message-log/records/{sequence}/bundle", "ReadMessageLog", false),
        ("GET", "/message-log/exchanges/{requestId}/bundle", "ReadMessageLog", false),
        ("GET", "/message-log/export", "ReadMessageLog", false),
        ("GET", "/tokens", "ReadRegistry", false),
        ("GET", "/tokens/{tokenId}", "ReadRegistry", false),
        ("POST", "/tokens/{tokenId}/login", "ManageKeys", true),
        ("POST", "/tokens/{tokenId}/logout", "ManageKeys", true),
        ("PUT", "/tokens/{tokenId}/pin", "ManageKeys", true),
        ("POST", "/tokens/{tokenId}/keys", "ManageKeys", true),
        ("GET", "/keys/{keyId}", "ReadRegistry", false),
        ("PATCH", "/keys/{keyId}", "ManageKeys", true),
        ("DELETE", "/keys/{keyId}", "ManageKeys", true),
        ("POST", "/keys/{keyId}/csrs", "ManageKeys", true),
        ("GET", "/keys/{keyId}/csrs/{csrId}", "ReadRegistry", false),
        ("DELETE", "/keys/{keyId}/csrs/{csrId}", "ManageKeys", true),
        ("POST", "/certificates", "ManageKeys", true),
        ("GET", "/certificates/{certificateId}", "ReadRegistry", false),
        ("POST", "/certificates/{certificateId}/activate", "ManageKeys", true),
        ("POST", "/certificates/{certificateId}/deactivate", "ManageKeys", true),
        ("POST", "/certificates/{certificateId}/register", "ManageKeys", true),
        ("POST", "/certificates/{certificateId}/unregister", "ManageKeys", true),
        ("DELETE", "/certificates/{certificateId}", "ManageKeys", true),
        ("GET", "/diagnostics/global-configuration", "ReadDiagnostics", false),
        ("GET", "/diagnostics/ocsp", "ReadDiagnostics", false),
        ("GET", "/diagnostics/timestamping", "ReadDiagnostics", false),
        ("GET", "/diagnostics/peers/{serverId}", "ReadDiagnostics", false),
        ("GET", "/api-keys", "ManageApiKeys", true),
        ("POST", "/api-keys", "ManageApiKeys", true),
        ("DELETE", "/api-keys/{keyId}", "ManageApiKeys", true),
        ("POST", "/backups", "ManageSystem", true),
        ("GET", "/backups", "ManageSystem", true),
        ("GET", "/backups/{name}", "ManageSystem", true),
        ("DELETE", "/backups/{name}", "ManageSystem", true),
        ("POST", "/backups/restore", "ManageSystem", true),
    ];

    private static readonly Dictionary<string, string> Samples = new()
    {
        ["clientId"] = "DEV%2FGOV%2F70000001%2Fconsumer",
        ["serviceCode"] = "echo",
        ["descriptionId"] = "1",
        ["groupCode"] = "partners",
        ["member"] = "DEV%2FORG%2F70000002%2Fclinic",
        ["hash"] = new string('a', 64),
        ["keyId"] = "0123456789abcdef",
        ["tokenId"] = "0",
        ["csrId"] = "0123456789abcdef0123456789abcdef",
        ["certificateId"] = new string('b', 64),
        ["name"] = "TSA",
        ["serverId"] = "DEV%2FGOV%2F70000001%2Fss1",
        ["sequence"] = "1",
    };

    private readonly TempDirectory _dir = new();
    private AdminTestHost _host = null!;

    public async Task InitializeAsync()
    {
        await File.WriteAllTextAsync(_dir.File("serverconf.json"), RegistrySamples.ContractExample);
        _host = await AdminTestHost.StartAsync(_dir.Path, builder =>
        {
            builder.Configuration["SecurityServer:Admin:RateLimitBurst"] = "100000";
            builder.Services.AddSingleton<IOnboarding, RecordingOnboarding>();
        });
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public void Table_NamesEveryMappedRouteExactlyOnce()
    {
        var mapped = _host.Host.App.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<AdminAccess>() is not null)
            .SelectMany(e => e.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods.Select(m => $"{m} {e.RoutePattern.RawText}"))
            .Order(StringComparer.Ordinal)
            .ToList();
        var table = Routes.Select(r => $"{r.Method} {RegistryAdminApi.Prefix}{r.Route}").Order(StringComparer.Ordinal).ToList();

        Assert.Equal(table, mapped);
    }

    [Fact]
    public void Matrix_IsTheContracts()
    {
        foreach (var role in Enum.GetValues<AdminRole>())
        {
            var granted = Enum.GetValues<AdminPermission>().Where(p => AdminRoles.Grants([role], p)).Select(p => p.ToString()).Order(StringComparer.Ordinal);
            Assert.Equal(Matrix[AdminRoles.Name(role)].Order(StringComparer.Ordinal), granted);
        }

        Assert.Equal(Matrix.Keys.Order(StringComparer.Ordinal), AdminRoles.Names);
    }

    [Fact]
    public async Task EveryRoute_EveryRole_AllowedOrForbiddenExactlyAsTheMatrixSays()
    {
        var failures = new List<string>();
        foreach (var (roleName, permissions) in Matrix)
        {
            Assert.True(AdminRoles.TryParse(roleName, out var role));
            using var http = _host.Client(_host.CreateKey(role.Value));
            foreach (var route in Routes)
            {
                var before = _host.Store.Current;
                var keysBefore = await File.ReadAllTextAsync(_host.Keys.FilePath);
                using var response = await http.SendAsync(Request(route.Method, route.Route, remote: null));
                var code = await CodeOf(response);
                var allowed = permissions.Contains(route.Permission);
                if (!allowed && (response.StatusCode != HttpStatusCode.Forbidden || code != "admin.forbidden"))
                {
                    failures.Add($"{roleName} {route.Method} {route.Route}: expected 403 admin.forbidden, got {(int)response.StatusCode} {code}");
                }

                if (!allowed && (!ReferenceEquals(before, _host.Store.Current) || keysBefore != await File.ReadAllTextAsync(_host.Keys.FilePath)))
                {
                    failures.Add($"{roleName} {route.Method} {route.Route}: a refused request changed something");
                }

                if (allowed && code is "admin.forbidden" or "admin.unauthorized" or "admin.loopback_only" or "admin.rate_limited")
                {
                    failures.Add($"{roleName} {route.Method} {route.Route}: expected to pass the guard, got {(int)response.StatusCode} {code}");
                }
            }
        }

        Assert.Empty(failures);
    }

    [Fact]
    public async Task FromAnotherAddress_KeyManagementIsRefusedWithLoopbackOnly_TheRestIsNot()
    {
        var failures = new List<string>();
        using var admin = _host.Client(_host.CreateKey(AdminRole.SystemAdministrator));
        using var officer = _host.Client(_host.CreateKey(AdminRole.SecurityOfficer));
        foreach (var route in Routes)
        {
            var client = route.Permission == "ManageKeys" ? officer : admin;
            var before = _host.Store.Current;
            using var response = await client.SendAsync(Request(route.Method, route.Route, remote: "192.0.2.10"));
            var code = await CodeOf(response);
            if (route.Loopback != (response.StatusCode == HttpStatusCode.Forbidden && code == "admin.loopback_only"))
            {
                failures.Add($"{route.Method} {route.Route}: loopback only is {route.Loopback}, got {(int)response.StatusCode} {code}");
            }

            if (route.Loopback && !ReferenceEquals(before, _host.Store.Current))
            {
                failures.Add($"{route.Method} {route.Route}: a refused request changed something");
            }
        }

        Assert.Empty(failures);

        // The same key management works from loopback (IPv4 and IPv6), and the IPv4-mapped IPv6 form of a remote address is not loopback.
        foreach (var address in new[] { "127.0.0.1", "::1" })
        {
            using var local = await admin.SendAsync(Request("GET", "/api-keys", remote: address));
            Assert.Equal(HttpStatusCode.OK, local.StatusCode);
        }

        await AssertProblem(await admin.SendAsync(Request("GET", "/api-keys", remote: "::ffff:192.0.2.10")), HttpStatusCode.Forbidden, "admin.loopback_only");
    }

    [Fact]
    public async Task OpenApiDocument_NeedsNoKey_AndListsExactlyTheMappedRoutes()
    {
        using var anonymous = _host.Client(null);
        using var response = await anonymous.GetAsync("api/v1/openapi.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("3.0.3", document.RootElement.GetProperty("openapi").GetString());

        var documented = new List<string>();
        foreach (var path in document.RootElement.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                documented.Add($"{operation.Name.ToUpperInvariant()} {path.Name}");
                if (path.Name != RegistryAdminApi.Prefix + "/openapi.json")
                {
                    // The permission and the loopback flag the document states are the ones enforced.
                    var route = Routes.SingleOrDefault(r => r.Method == operation.Name.ToUpperInvariant() && RegistryAdminApi.Prefix + r.Route == path.Name);
                    Assert.True(route.Method is not null, $"{operation.Name} {path.Name} is documented but not in the route table");
                    Assert.Equal(route.Permission, operation.Value.GetProperty("x-permission").GetString());
                    Assert.Equal(route.Loopback, operation.Value.TryGetProperty("x-loopback-only", out var loopback) && loopback.GetBoolean());
                }
            }
        }

        var mapped = _host.Host.App.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText!.StartsWith(RegistryAdminApi.Prefix + "/", StringComparison.Ordinal))
            .SelectMany(e => e.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods.Select(m => $"{m} {e.RoutePattern.RawText}"))
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.Equal(mapped, documented.Order(StringComparer.Ordinal));
    }

    private static HttpRequestMessage Request(string method, string route, string? remote)
    {
        var path = route;
        foreach (var (name, value) in Samples)
        {
            path = path.Replace("{" + name + "}", value, StringComparison.Ordinal);
        }

        var request = new HttpRequestMessage(new HttpMethod(method), "api/v1" + path);
        if (method is not "GET" and not "DELETE")
        {
            request.Content = Body("{}");
        }

        if (remote is not null)
        {
            request.Headers.Add(AdminTestHost.RemoteAddressHeader, remote);
        }

        return request;
    }

    private static async Task<string?> CodeOf(HttpResponseMessage response)
    {
        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
        {
            return null;
        }

        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return problem.RootElement.TryGetProperty("code", out var code) ? code.GetString() : null;
    }
}
