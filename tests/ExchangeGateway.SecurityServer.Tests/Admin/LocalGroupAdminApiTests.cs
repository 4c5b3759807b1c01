using System.Net;
using ExchangeGateway.Common.Identifiers;
using ExchangeGateway.SecurityServer.Admin;
using ExchangeGateway.SecurityServer.Metaservices;
using ExchangeGateway.SecurityServer.Registry;
using ExchangeGateway.SecurityServer.Tests.Registry;
using ExchangeGateway.Testing.Tools;
using static ExchangeGateway.SecurityServer.Tests.Admin.RegistryAdminApiTests;

namespace ExchangeGateway.SecurityServer.Tests.Admin;

/// <summary>Local groups over HTTP on a real host, and the access decision that uses them (<c>local-group:CODE</c>).</summary>
public sealed class LocalGroupAdminApiTests : IAsyncLifetime
{
    private const string Consumer = "DEV%2FGOV%2F70000001%2Fconsumer";
    private const string Groups = $"api/v1/clients/{Consumer}/local-groups";

    private static readonly ServiceId Echo = ServiceId.Parse("DEV/GOV/70000001/consumer/echo");

    private readonly TempDirectory _dir = new();
    private AdminTestHost _host = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        await File.WriteAllTextAsync(_dir.File("serverconf.json"), RegistrySamples.ContractExample);
        _host = await AdminTestHost.StartAsync(_dir.Path, builder => builder.Configuration["SecurityServer:Admin:RateLimitBurst"] = "100000");
        _http = _host.Client(_host.CreateKey(AdminRole.ServiceAdministrator));
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _host.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task LocalGroup_GrantsAccessToItsMembers_AndOnlyWhileTheyAreMembers()
    {
        var created = await _http.PostAsync(Groups, Body("""{"code":"partners","description":"Partner labs","members":["DEV/ORG/70000004/lab"]}"""));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal($"/{Groups}/partners", created.Headers.Location!.OriginalString);

        Assert.Equal(HttpStatusCode.OK, (await _http.PutAsync($"api/v1/clients/{Consumer}/services/echo/access-rights", Body("""[{"subject":"local-group:partners","method":"GET"}]"""))).StatusCode);
        Assert.Equal(AccessDecision.Allowed, Decide(RegistrySamples.Lab, "GET"));
        Assert.Equal(AccessDecision.AccessDenied, Decide(RegistrySamples.Lab, "POST"));
        Assert.Equal(AccessDecision.AccessDenied, Decide(RegistrySamples.Pharmacy, "GET"));

        // The metaservices see the same rights.
        var local = _host.Store.Current!;
        Assert.True(RestMetaservices.MayCall(local.FindService(Echo)!, null, RegistrySamples.Lab, local.FindSubsystem(Echo.Client)));
        Assert.False(RestMetaservices.MayCall(local.FindService(Echo)!, null, RegistrySamples.Lab));

        var added = await _http.PostAsync($"{Groups}/partners/members", Body("""{"members":["DEV/ORG/70000003/pharmacy"]}"""));
        Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        Assert.Equal(2, (await Json(added)).RootElement.GetProperty("members").GetArrayLength());
        Assert.Equal(AccessDecision.Allowed, Decide(RegistrySamples.Pharmacy, "GET"));

        Assert.Equal(HttpStatusCode.OK, (await _http.DeleteAsync($"{Groups}/partners/members/DEV%2FORG%2F70000004%2Flab")).StatusCode);
        Assert.Equal(AccessDecision.AccessDenied, Decide(RegistrySamples.Lab, "GET"));

        // The file carries the group and reads back the same.
        var reread = LocalConfigurationSerializer.Read(await File.ReadAllBytesAsync(_host.Store.FilePath)).GetValueOrThrow();
        var group = reread.FindClient(ClientId.Parse("DEV/GOV/70000001/consumer"))!.FindLocalGroup("partners")!;
        Assert.Equal("Partner labs", group.Description);
        Assert.Equal(new[] { RegistrySamples.Pharmacy }, group.Members.ToArray());
        Assert.Equal(AccessDecision.Allowed, AccessControl.Decide(reread, null, RegistrySamples.Pharmacy, Echo, "GET", "/x"));
    }

    [Fact]
    public async Task ReadUpdateDelete_AndGroupsInUseCannotBeDeleted()
    {
        Assert.Equal(HttpStatusCode.Created, (await _http.PostAsync(Groups, Body("""{"code":"partners","description":"x"}"""))).StatusCode);

        var patched = await _http.PatchAsync($"{Groups}/partners", Body("""{"description":"Partner labs"}"""));
        Assert.Equal("Partner labs", (await Json(patched)).RootElement.GetProperty("description").GetString());
        Assert.Equal("partners", (await Json(await _http.GetAsync(Groups))).RootElement[0].GetProperty("code").GetString());
        Assert.Equal("Partner labs", (await Json(await _http.GetAsync($"{Groups}/partners"))).RootElement.GetProperty("description").GetString());

        Assert.Equal(HttpStatusCode.OK, (await _http.PutAsync($"api/v1/clients/{Consumer}/services/echo/access-rights", Body("""[{"subject":"local-group:partners"}]"""))).StatusCode);
        var before = _host.Store.Current;
        await AssertProblem(await _http.DeleteAsync($"{Groups}/partners"), HttpStatusCode.Conflict, "registry.in_use");
        Assert.Same(before, _host.Store.Current);

        Assert.Equal(HttpStatusCode.OK, (await _http.PutAsync($"api/v1/clients/{Consumer}/services/echo/access-rights", Body("[]"))).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await _http.DeleteAsync($"{Groups}/partners")).StatusCode);
        await AssertProblem(await _http.GetAsync($"{Groups}/partners"), HttpStatusCode.NotFound, "registry.not_found");
        Assert.DoesNotContain("localGroups", await File.ReadAllTextAsync(_host.Store.FilePath), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadInput_ExactCodes_AndNothingChanges()
    {
        Assert.Equal(HttpStatusCode.Created, (await _http.PostAsync(Groups, Body("""{"code":"partners","description":"x","members":["DEV/ORG/70000004/lab"]}"""))).StatusCode);
        var before = _host.Store.Current;
        var bytes = await File.ReadAllBytesAsync(_host.Store.FilePath);

        await AssertProblem(await _http.PostAsync(Groups, Body("""{"code":"partners","description":"again"}""")), HttpStatusCode.Conflict, "registry.conflict");
        await AssertProblem(await _http.PostAsync(Groups, Body("""{"code":"bad/code","description":"x"}""")), HttpStatusCode.BadRequest, "request.invalid");
        await AssertProblem(await _http.PostAsync(Groups, Body("""{"code":"g","description":"x","members":["EE/ORG/1/x"]}""")), HttpStatusCode.BadRequest, "request.invalid");
        await AssertProblem(await _http.PostAsync(Groups, Body("""{"code":"g","description":"x","members":["DEV/ORG/70000004/lab","DEV/ORG/70000004/lab"]}""")), HttpStatusCode.BadRequest, "request.invalid");
        await AssertProblem(await _http.PostAsync(Groups, Body("""{"code":"g"}""")), HttpStatusCode.BadRequest, "request.invalid");
        await AssertProblem(await _http.PostAsync($"{Groups}/partners/members", Body("""{"members":["DEV/ORG/70000004/lab"]}""")), HttpStatusCode.Conflict, "registry.conflict");
        await AssertProblem(await _http.PostAsync($"{Groups}/partners/members", Body("""{"members":[]}""")), HttpStatusCode.BadRequest, "request.invalid");
        await AssertProblem(await _http.PostAsync($"{Groups}/nope/members", Body("""{"members":["DEV/ORG/70000003/pharmacy"]}""")), HttpStatusCode.NotFound, "registry.not_found");
        await AssertProblem(await _http.DeleteAsync($"{Groups}/partners/members/DEV%2FORG%2F70000003%2Fpharmacy"), HttpStatusCode.NotFound, "registry.not_found");
        await AssertProblem(await _http.DeleteAsync($"{Groups}/partners/members/DEV%2FORG"), HttpStatusCode.BadRequest, "client.invalid_identifier");
        await AssertProblem(await _http.PatchAsync($"{Groups}/partners", Body("""{"description":"x","code":"y"}""")), HttpStatusCode.BadRequest, "request.invalid");
        await AssertProblem(await _http.GetAsync("api/v1/clients/DEV%2FGOV%2F70000001%2Fhospital/local-groups"), HttpStatusCode.NotFound, "registry.not_found");

        // An access right naming a group the client does not have is refused.
        await AssertProblem(await _http.PutAsync($"api/v1/clients/{Consumer}/services/echo/access-rights", Body("""[{"subject":"local-group:nope"}]""")), HttpStatusCode.BadRequest, "request.invalid");
        await AssertProblem(await _http.PutAsync($"api/v1/clients/{Consumer}/services/echo/access-rights", Body("""[{"subject":"local-group:"}]""")), HttpStatusCode.BadRequest, "request.invalid");

        Assert.Same(before, _host.Store.Current);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(_host.Store.FilePath));
    }

    [Fact]
    public void Serverconf_WithAnAccessRightToAMissingGroup_DoesNotLoad()
    {
        var text = RegistrySamples.ContractExample.Replace("\"subject\": \"DEV/ORG/70000002/clinic\"", "\"subject\": \"local-group:ghosts\"", StringComparison.Ordinal);

        var read = LocalConfigurationSerializer.Read(RegistrySamples.Utf8(text));

        Assert.False(read.Success);
        Assert.Contains("names no local group", read.Message, StringComparison.Ordinal);
    }

    private AccessDecision Decide(ClientId caller, string method) => AccessControl.Decide(_host.Store.Current!, null, caller, Echo, method, "/x");
}
