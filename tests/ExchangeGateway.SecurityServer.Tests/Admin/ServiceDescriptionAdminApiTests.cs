using System.Net;
using System.Text;
using System.Text.Json;
using ExchangeGateway.Common.Identifiers;
using ExchangeGateway.SecurityServer.Admin;
using ExchangeGateway.SecurityServer.Registry;
using ExchangeGateway.SecurityServer.Tests.Descriptions;
using ExchangeGateway.SecurityServer.Tests.Registry;
using ExchangeGateway.Testing.Hosting;
using ExchangeGateway.Testing.Tools;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using static ExchangeGateway.SecurityServer.Tests.Admin.RegistryAdminApiTests;

namespace ExchangeGateway.SecurityServer.Tests.Admin;

/// <summary>
/// The service-description endpoints on a real admin host, with the WSDL and OpenAPI documents served by a
/// second real host on 127.0.0.1 whose documents the test changes between add and refresh.
/// </summary>
public sealed class ServiceDescriptionAdminApiTests : IAsyncLifetime
{
    private const string Hospital = "DEV%2FGOV%2F70000001%2Fhospital";
    private static readonly SubsystemId HospitalId = SubsystemId.Parse("DEV/GOV/70000001/hospital");

    private readonly TempDirectory _dir = new();
    private AdminTestHost _host = null!;
    private LoopbackHost _documents = null!;
    private string _key = null!;
    private volatile string _wsdl = DescriptionSamples.Wsdl();

    public async Task InitializeAsync()
    {
        await File.WriteAllTextAsync(_dir.File("serverconf.json"), """
            { "serverId": "DEV/GOV/70000001/ss1", "clients": [ { "id": "DEV/GOV/70000001/hospital" } ] }
            """);
        _host = await AdminTestHost.StartAsync(_dir.Path);
        _key = _host.CreateKey();
        _documents = await LoopbackHost.StartAsync(null, app =>
        {
            app.MapGet("/hospital", (HttpContext _) => Results.Text(_wsdl, "text/xml"));
            app.MapGet("/pets.yaml", () => Results.Text(DescriptionSamples.OpenApiYaml, "text/yaml"));
            app.MapGet("/missing", () => Results.NotFound());
            app.MapGet("/huge", () => Results.Bytes(new byte[(10 * 1024 * 1024) + 1], "text/xml"));
        });
    }

    public async Task DisposeAsync()
    {
        await _documents.DisposeAsync();
        await _host.DisposeAsync();
        _dir.Dispose();
    }

    private static async Task AssertStatus(HttpResponseMessage response, HttpStatusCode status) =>
        Assert.True(status == response.StatusCode, $"expected {status}, got {response.StatusCode}: {await response.Content.ReadAsStringAsync()}");

    private string Url(string path) => new Uri(_documents.BaseAddress, path).ToString();

    private string ServicesPath => $"api/v1/clients/{Hospital}/service-descriptions";

    [Fact]
    public async Task Wsdl_AddRefreshDisableEnableDelete_OverHttp()
    {
        using var http = _host.Client(_key);

        // Add from a URL: 201, the location, the services made.
        var added = await http.PostAsync(ServicesPath, Body($$"""{"type":"wsdl","url":"{{Url("hospital?wsdl")}}"}"""));
        await AssertStatus(added, HttpStatusCode.Created);
        Assert.Equal($"/api/v1/clients/{Hospital}/service-descriptions/1", added.Headers.Location!.OriginalString);
        var body = (await Json(added)).RootElement;
        Assert.Equal("wsdl", body.GetProperty("type").GetString());
        Assert.Equal(Url("hospital?wsdl"), body.GetProperty("source").GetString());
        Assert.Equal(["getPatient", "ping"], body.GetProperty("added").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("v1", body.GetProperty("services")[0].GetProperty("version").GetString());
        Assert.NotNull(_host.Store.Current!.FindService(new ServiceId(HospitalId, "getPatient", "v1")));

        // Grant the clinic getPatient, then change the served WSDL and refresh: the right survives.
        var rights = await http.PutAsync($"api/v1/clients/{Hospital}/services/getPatient/access-rights", Body("""[{"subject":"DEV/ORG/70000002/clinic"}]"""));
        await AssertStatus(rights, HttpStatusCode.OK);
        _wsdl = DescriptionSamples.Wsdl("http://127.0.0.1:9000/soap", ("getPatient", "v1"), ("admit", null));
        var refreshed = await http.PostAsync($"{ServicesPath}/1/refresh", null);
        await AssertStatus(refreshed, HttpStatusCode.OK);
        var refreshedBody = (await Json(refreshed)).RootElement;
        Assert.Equal(["admit"], refreshedBody.GetProperty("added").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["ping"], refreshedBody.GetProperty("removed").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(AccessDecision.Allowed, AccessControl.Decide(_host.Store.Current!, null, RegistrySamples.Clinic, new ServiceId(HospitalId, "getPatient", "v1"), "POST", string.Empty));

        // Disable with a notice, then enable.
        var disabled = await http.PostAsync($"{ServicesPath}/1/disable", Body("""{"notice":"Back at 14:00"}"""));
        await AssertStatus(disabled, HttpStatusCode.OK);
        Assert.Equal("Back at 14:00", (await Json(disabled)).RootElement.GetProperty("disabledNotice").GetString());
        Assert.Equal(AccessDecision.ServiceDisabled, AccessControl.Decide(_host.Store.Current!, null, RegistrySamples.Clinic, new ServiceId(HospitalId, "getPatient", "v1"), "POST", string.Empty));
        await AssertStatus(await http.PostAsync($"{ServicesPath}/1/enable", null), HttpStatusCode.OK);
        Assert.Equal(AccessDecision.Allowed, AccessControl.Decide(_host.Store.Current!, null, RegistrySamples.Clinic, new ServiceId(HospitalId, "getPatient", "v1"), "POST", string.Empty));

        // List and read.
        var list = (await Json(await http.GetAsync(ServicesPath))).RootElement;
        Assert.Equal("1", Assert.Single(list.EnumerateArray()).GetProperty("id").GetString());
        await AssertStatus(await http.GetAsync($"{ServicesPath}/1"), HttpStatusCode.OK);

        // Delete: the services go too; the file agrees.
        await AssertStatus(await http.DeleteAsync($"{ServicesPath}/1"), HttpStatusCode.NoContent);
        Assert.Empty(_host.Store.Current!.FindClient(HospitalId)!.Services);
        var onDisk = LocalConfigurationSerializer.Read(await File.ReadAllBytesAsync(_host.Store.FilePath)).GetValueOrThrow();
        Assert.Empty(onDisk.FindClient(HospitalId)!.Descriptions);
        await AssertProblem(await http.GetAsync($"{ServicesPath}/1"), HttpStatusCode.NotFound, "registry.not_found");
    }

    [Fact]
    public async Task OpenApi_UploadedYaml_MakesARestServiceAndRefreshNeedsContent()
    {
        using var http = _host.Client(_key);
        var content = Convert.ToBase64String(Encoding.UTF8.GetBytes(DescriptionSamples.OpenApiYaml));

        var added = await http.PostAsync(ServicesPath, Body($$"""{"type":"openapi3","content":"{{content}}","serviceCode":"pets","serviceUrl":"http://127.0.0.1:9200/v2"}"""));

        await AssertStatus(added, HttpStatusCode.Created);
        var pets = _host.Store.Current!.FindService(new ServiceId(HospitalId, "pets"))!;
        Assert.Equal("http://127.0.0.1:9200/v2", pets.Url);
        Assert.Equal(["GET /pets", "PATCH /pets/*"], pets.Endpoints.Select(e => $"{e.Method} {e.Path.Text}"));
        await AssertProblem(await http.PostAsync($"{ServicesPath}/1/refresh", null), HttpStatusCode.BadRequest, "request.invalid");
        var refreshed = await http.PostAsync($"{ServicesPath}/1/refresh", Body($$"""{"content":"{{Convert.ToBase64String(Encoding.UTF8.GetBytes(DescriptionSamples.OpenApiJson))}}"}"""));
        await AssertStatus(refreshed, HttpStatusCode.OK);
        Assert.Equal(5, _host.Store.Current!.FindService(new ServiceId(HospitalId, "pets"))!.Endpoints.Length);
    }

    [Fact]
    public async Task OpenApi_FromUrl_UsesServersUrl()
    {
        using var http = _host.Client(_key);

        var added = await http.PostAsync(ServicesPath, Body($$"""{"type":"openapi3","url":"{{Url("pets.yaml")}}","serviceCode":"pets"}"""));

        await AssertStatus(added, HttpStatusCode.Created);
        Assert.Equal("http://127.0.0.1:9000/api", _host.Store.Current!.FindService(new ServiceId(HospitalId, "pets"))!.Url);
    }

    [Fact]
    public async Task Failures_AreProblemDetailsWithStableCodes()
    {
        using var http = _host.Client(_key);

        await AssertProblem(await http.PostAsync(ServicesPath, Body($$"""{"type":"wsdl","url":"{{Url("missing")}}"}""")), HttpStatusCode.BadGateway, "description.fetch_failed");
        await AssertProblem(await http.PostAsync(ServicesPath, Body($$"""{"type":"wsdl","url":"{{Url("huge")}}"}""")), HttpStatusCode.BadGateway, "description.fetch_failed");
        await AssertProblem(await http.PostAsync(ServicesPath, Body($$"""{"type":"openapi3","url":"{{Url("hospital")}}","serviceCode":"x"}""")), HttpStatusCode.UnprocessableEntity, "description.invalid");
        await AssertProblem(await http.PostAsync(ServicesPath, Body("""{"type":"wsdl","content":"PGh0bWwvPg=="}""")), HttpStatusCode.UnprocessableEntity, "description.invalid");
        await AssertProblem(await http.PostAsync(ServicesPath, Body("""{"type":"wsdl2","url":"http://127.0.0.1:1/"}""")), HttpStatusCode.BadRequest, "request.invalid");
        await AssertProblem(await http.PostAsync(ServicesPath, Body("""{"type":"wsdl","url":"file:///etc/passwd"}""")), HttpStatusCode.BadRequest, "request.invalid");
        await AssertProblem(await http.PostAsync(ServicesPath, Body("""{"type":"wsdl","url":"http://127.0.0.1:1/","extra":1}""")), HttpStatusCode.BadRequest, "request.invalid");
        await AssertProblem(await http.PostAsync(ServicesPath, Body("""{"type":"wsdl","content":"not base64!"}""")), HttpStatusCode.BadRequest, "request.invalid");
        await AssertProblem(await http.PostAsync($"{ServicesPath}/9/refresh", null), HttpStatusCode.NotFound, "registry.not_found");
        await AssertProblem(await http.PostAsync($"{ServicesPath}/a%20b/enable", null), HttpStatusCode.BadRequest, "client.invalid_identifier");
        await AssertProblem(await http.PostAsync($"api/v1/clients/DEV%2FGOV%2F70000001%2Fnobody/service-descriptions", Body("""{"type":"wsdl","content":"PGh0bWwvPg=="}""")), HttpStatusCode.NotFound, "registry.not_found");

        await AssertStatus(await http.PostAsync(ServicesPath, Body($$"""{"type":"wsdl","url":"{{Url("hospital")}}"}""")), HttpStatusCode.Created);
        await AssertProblem(await http.PostAsync(ServicesPath, Body($$"""{"type":"wsdl","url":"{{Url("hospital")}}"}""")), HttpStatusCode.Conflict, "registry.conflict");
        await AssertProblem(await http.PostAsync($"{ServicesPath}/1/disable", Body($$"""{"notice":"{{new string('n', 300)}}"}""")), HttpStatusCode.BadRequest, "request.invalid");
        Assert.Single(_host.Store.Current!.FindClient(HospitalId)!.Descriptions);
    }

    [Fact]
    public async Task Observer_MayListButNotChange()
    {
        using var http = _host.Client(_host.CreateKey(AdminRole.Observer));

        await AssertStatus(await http.GetAsync(ServicesPath), HttpStatusCode.OK);
        await AssertProblem(await http.PostAsync(ServicesPath, Body($$"""{"type":"wsdl","url":"{{Url("hospital")}}"}""")), HttpStatusCode.Forbidden, "admin.forbidden");
        await AssertProblem(await http.DeleteAsync($"{ServicesPath}/1"), HttpStatusCode.Forbidden, "admin.forbidden");
    }

    [Fact]
    public async Task LargeUpload_AboveTheOrdinaryBodyCap_IsAccepted()
    {
        using var http = _host.Client(_key);
        var padded = DescriptionSamples.Wsdl().Replace("<wsdl:portType name=\"HospitalPort\"/>", "<wsdl:portType name=\"HospitalPort\"/><!--" + new string('x', 100_000) + "-->", StringComparison.Ordinal);
        var json = JsonSerializer.Serialize(new { type = "wsdl", content = Encoding.UTF8.GetBytes(padded) });

        var added = await http.PostAsync(ServicesPath, Body(json));

        Assert.True(json.Length > AdminTestHost.MaxBodyBytes);
        await AssertStatus(added, HttpStatusCode.Created);
    }
}
