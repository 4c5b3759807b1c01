using System.Text;
using System.Text.Json;

namespace ExchangeGateway.Cli.Tests;

/// <summary>The exact requests the commands send: method, raw path (identifiers as one encoded segment), body, headers.</summary>
public sealed class RequestTests : IAsyncLifetime
{
    private const string Client = "DEV/GOV/70000001/billing";
    private const string EncodedClient = "DEV%2FGOV%2F70000001%2Fbilling";
    private StubAdminApi _stub = null!;

    public async Task InitializeAsync() => _stub = await StubAdminApi.StartAsync();

    public async Task DisposeAsync() => await _stub.DisposeAsync();

    [Fact]
    public async Task Init_PinFromFile_PostsOwnerCodeAndPinWithKeyHeader()
    {
        using var dir = new TempDir();
        _stub.On("POST", "/api/v1/initialisation", StubResponse.Json(201, """{"initialised":true,"serverId":"DEV/GOV/70000001/ss1","tokenStatus":"loggedIn"}"""));

        var result = await CliRun.RunAsync(_stub, "init", "--owner", "DEV/GOV/70000001", "--server-code", "ss1", "--pin-file", dir.File("pin", "Secret-Pin-123\n"));

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        var request = Assert.Single(_stub.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/api/v1/initialisation", request.RawTarget);
        Assert.Equal("X-Api-Key test-key", request.Header("Authorization"));
        Assert.Equal("application/json; charset=utf-8", request.Header("Content-Type"));
        Assert.Equal("""{"ownerMemberId":"DEV/GOV/70000001","serverCode":"ss1","pin":"Secret-Pin-123"}""", request.BodyText);
        Assert.Contains("serverId:    DEV/GOV/70000001/ss1", result.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("Secret-Pin-123", result.Out + result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TokenLogin_PinFromVariable_PostsIt()
    {
        _stub.On("POST", "/api/v1/tokens/0/login", new StubResponse(204));

        var result = await CliRun.RunAsync(_stub, new Dictionary<string, string> { ["XGW_TOKEN_PIN"] = "Env-Pin-4567" }, "token", "login");

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Equal("Logged in.\n", result.Out);
        var request = Assert.Single(_stub.Requests);
        Assert.Equal("""{"pin":"Env-Pin-4567"}""", request.BodyText);
    }

    [Fact]
    public async Task TokenLogin_PinFileWinsOverVariable()
    {
        using var dir = new TempDir();
        _stub.On("POST", "/api/v1/tokens/0/login", new StubResponse(204));

        var result = await CliRun.RunAsync(_stub, new Dictionary<string, string> { ["XGW_TOKEN_PIN"] = "Env-Pin-4567" }, "token", "login", "--pin-file", dir.File("pin", "File-Pin-890\r\n"));

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Equal("""{"pin":"File-Pin-890"}""", Assert.Single(_stub.Requests).BodyText);
    }

    [Fact]
    public async Task TokenChangePin_ReadsOldAndNewFromTheirFiles()
    {
        using var dir = new TempDir();
        _stub.On("PUT", "/api/v1/tokens/0/pin", new StubResponse(204));

        var result = await CliRun.RunAsync(_stub, "token", "change-pin", "--pin-file", dir.File("old", "Old-Pin-1234"), "--new-pin-file", dir.File("new", "New-Pin-5678\n"));

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        var request = Assert.Single(_stub.Requests);
        Assert.Equal("PUT", request.Method);
        Assert.Equal("""{"oldPin":"Old-Pin-1234","newPin":"New-Pin-5678"}""", request.BodyText);
    }

    [Fact]
    public async Task ApiKeyAndUrl_FromOptionsAndFile_OverrideTheEnvironment()
    {
        using var dir = new TempDir();
        _stub.On("GET", "/api/v1/initialisation", StubResponse.Json(200, """{"initialised":false,"serverId":null,"tokenStatus":"uninitialised"}"""));

        var fromFile = await CliRun.RunAsync(
            new Dictionary<string, string> { ["XGW_URL"] = "http://127.0.0.1:1", ["XGW_API_KEY"] = "env-key" },
            "status", "--url", _stub.Url.ToString(), "--api-key-file", dir.File("key", "file-key\n"));
        var fromOption = await CliRun.RunAsync(
            new Dictionary<string, string> { ["XGW_URL"] = _stub.Url.ToString(), ["XGW_API_KEY"] = "env-key" },
            "status", "--api-key", "option-key");

        Assert.Equal(ExitCodes.Ok, fromFile.ExitCode);
        Assert.Equal(ExitCodes.Ok, fromOption.ExitCode);
        Assert.Equal(["X-Api-Key file-key", "X-Api-Key option-key"], _stub.Requests.Select(r => r.Header("Authorization")));
        Assert.Equal("initialised: no\ntokenStatus: uninitialised\n", fromFile.Out);
    }

    [Theory]
    [InlineData("register")]
    [InlineData("unregister")]
    [InlineData("disable")]
    [InlineData("enable")]
    public async Task ClientsRequest_PostsToTheEncodedClientPathWithoutBody(string action)
    {
        _stub.On("POST", $"/api/v1/clients/{EncodedClient}/{action}", StubResponse.Json(202, """{"requestId":17,"requestState":"submitted"}"""));

        var result = await CliRun.RunAsync(_stub, "clients", action, Client);

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        var request = Assert.Single(_stub.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Empty(request.Body);
        Assert.Contains("requestId:    17", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClientsAdd_PostsIdAndConnectionType()
    {
        _stub.On("POST", "/api/v1/clients", StubResponse.Json(201, $$"""{"id":"{{Client}}","status":"saved","connectionType":"https"}"""));

        var result = await CliRun.RunAsync(_stub, "clients", "add", Client, "--connection-type", "https");

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Equal($$"""{"id":"{{Client}}","connectionType":"https"}""", Assert.Single(_stub.Requests).BodyText);
    }

    [Fact]
    public async Task ClientsConnectionTypeAndDelete_UseTheirRoutes()
    {
        _stub.On("PUT", $"/api/v1/clients/{EncodedClient}/connection-type", StubResponse.Json(200, "{}"));
        _stub.On("DELETE", $"/api/v1/clients/{EncodedClient}", new StubResponse(204));

        Assert.Equal(ExitCodes.Ok, (await CliRun.RunAsync(_stub, "clients", "connection-type", Client, "https-certificate")).ExitCode);
        var deleted = await CliRun.RunAsync(_stub, "clients", "delete", Client, "--json");

        Assert.Equal(ExitCodes.Ok, deleted.ExitCode);
        Assert.Equal(string.Empty, deleted.Out);
        Assert.Equal("""{"connectionType":"https-certificate"}""", _stub.Requests[0].BodyText);
        Assert.Equal("DELETE", _stub.Requests[1].Method);
    }

    [Fact]
    public async Task KeysGenerate_SendsOnlyTheGivenFields()
    {
        _stub.On("POST", "/api/v1/tokens/0/keys", StubResponse.Json(201, """{"id":"ab12","friendlyName":"sign","usage":"signing","algorithm":"ecdsa-p256","member":"DEV/GOV/70000001"}"""));

        var signing = await CliRun.RunAsync(_stub, "keys", "generate", "--usage", "signing", "--name", "sign", "--member", "DEV/GOV/70000001", "--algorithm", "rsa-3072");
        var auth = await CliRun.RunAsync(_stub, "keys", "generate", "--usage", "authentication", "--name", "auth key");

        Assert.Equal(ExitCodes.Ok, signing.ExitCode);
        Assert.Equal(ExitCodes.Ok, auth.ExitCode);
        Assert.Equal("""{"usage":"signing","friendlyName":"sign","memberId":"DEV/GOV/70000001","algorithm":"rsa-3072"}""", _stub.Requests[0].BodyText);
        Assert.Equal("""{"usage":"authentication","friendlyName":"auth key"}""", _stub.Requests[1].BodyText);
    }

    [Fact]
    public async Task KeysList_PrintsTheTokensKeysArray()
    {
        _stub.On("GET", "/api/v1/tokens/0", StubResponse.Json(200, """{"id":"0","status":"loggedIn","keys":[{"id":"k1","usage":"authentication","friendlyName":"auth","certificates":[{"id":"c1"}],"csrs":[]}]}"""));

        var json = await CliRun.RunAsync(_stub, "keys", "list", "--json");
        var human = await CliRun.RunAsync(_stub, "keys", "list");

        Assert.Equal("""[{"id":"k1","usage":"authentication","friendlyName":"auth","certificates":[{"id":"c1"}],"csrs":[]}]""" + "\n", json.Out);
        Assert.Equal("ID  USAGE           NAME  MEMBER  CERTS  CSRS\nk1  authentication  auth  -       1      0\n", human.Out);
    }

    [Fact]
    public async Task KeysRenameAndDelete_UseTheKeyPath()
    {
        _stub.On("PATCH", "/api/v1/keys/ab%2012", StubResponse.Json(200, """{"id":"ab 12","friendlyName":"new"}"""));
        _stub.On("DELETE", "/api/v1/keys/ab%2012", new StubResponse(204));

        Assert.Equal(ExitCodes.Ok, (await CliRun.RunAsync(_stub, "keys", "rename", "ab 12", "new")).ExitCode);
        Assert.Equal(ExitCodes.Ok, (await CliRun.RunAsync(_stub, "keys", "delete", "ab 12")).ExitCode);
        Assert.Equal("""{"friendlyName":"new"}""", _stub.Requests[0].BodyText);
    }

    [Fact]
    public async Task CsrCreate_WithOut_WritesThePemAndPostsMemberAndCa()
    {
        using var dir = new TempDir();
        var pem = "-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n";
        _stub.On("POST", "/api/v1/keys/k1/csrs", StubResponse.Json(201, JsonSerializer.Serialize(new { id = "r1", subject = "C=DEV, O=GOV, CN=70000001", pem })));
        var output = Path.Combine(dir.Path, "sign.csr");

        var result = await CliRun.RunAsync(_stub, "csr", "create", "k1", "--member", "DEV/GOV/70000001", "--ca", "Dev CA", "--out", output);

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Equal("""{"memberId":"DEV/GOV/70000001","caName":"Dev CA"}""", Assert.Single(_stub.Requests).BodyText);
        Assert.Equal(pem, File.ReadAllText(output));
    }

    [Fact]
    public async Task CsrDownload_WithoutOut_WritesBytesToStandardOutput()
    {
        var pem = "-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n";
        _stub.On("GET", "/api/v1/keys/k1/csrs/r1", new StubResponse(200, pem, "application/pkcs10"));

        var result = await CliRun.RunAsync(_stub, "csr", "download", "k1", "r1");

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Equal(pem, Encoding.ASCII.GetString(result.StandardOutputBytes));
    }

    [Fact]
    public async Task CertsImport_PemAndDer_SendTheFileBytesWithTheirMediaTypes()
    {
        using var dir = new TempDir();
        var pem = "\n-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
        byte[] der = [0x30, 0x82, 0x01, 0x0A, 0x02, 0x01];
        _stub.On("POST", "/api/v1/certificates", StubResponse.Json(201, """{"id":"c1","state":"saved","active":true}"""));

        Assert.Equal(ExitCodes.Ok, (await CliRun.RunAsync(_stub, "certs", "import", dir.File("auth.pem", pem))).ExitCode);
        Assert.Equal(ExitCodes.Ok, (await CliRun.RunAsync(_stub, "certs", "import", dir.File("auth.der", der))).ExitCode);

        Assert.Equal("application/x-pem-file", _stub.Requests[0].Header("Content-Type"));
        Assert.Equal(pem, _stub.Requests[0].BodyText);
        Assert.Equal("application/pkix-cert", _stub.Requests[1].Header("Content-Type"));
        Assert.Equal(der, _stub.Requests[1].Body);
    }

    [Fact]
    public async Task CertsRegister_PostsTheAddressWhenGiven()
    {
        _stub.On("POST", "/api/v1/certificates/c1/register", StubResponse.Json(202, """{"requestId":3,"requestState":"submitted"}"""));

        Assert.Equal(ExitCodes.Ok, (await CliRun.RunAsync(_stub, "certs", "register", "c1", "--address", "ss1.example:5500")).ExitCode);
        Assert.Equal(ExitCodes.Ok, (await CliRun.RunAsync(_stub, "certs", "register", "c1")).ExitCode);

        Assert.Equal("""{"address":"ss1.example:5500"}""", _stub.Requests[0].BodyText);
        Assert.Equal("{}", _stub.Requests[1].BodyText);
    }

    [Fact]
    public async Task CertsList_FlattensEveryKeysCertificates()
    {
        _stub.On("GET", "/api/v1/tokens/0", StubResponse.Json(200, """{"keys":[{"id":"k1","certificates":[{"id":"c1","state":"registered"}]},{"id":"k2","certificates":[{"id":"c2","state":"saved"}]}]}"""));

        var result = await CliRun.RunAsync(_stub, "certs", "list", "--json");

        Assert.Equal("""[{"id":"c1","state":"registered"},{"id":"c2","state":"saved"}]""" + "\n", result.Out);
    }

    [Fact]
    public async Task IsCertsAddAndRemove_UseTheClientsPath()
    {
        using var dir = new TempDir();
        _stub.On("POST", $"/api/v1/clients/{EncodedClient}/is-certificates", StubResponse.Json(201, """{"hash":"aa11"}"""));
        _stub.On("DELETE", $"/api/v1/clients/{EncodedClient}/is-certificates/aa11", new StubResponse(204));

        Assert.Equal(ExitCodes.Ok, (await CliRun.RunAsync(_stub, "is-certs", "add", Client, dir.File("is.pem", "-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n"))).ExitCode);
        Assert.Equal(ExitCodes.Ok, (await CliRun.RunAsync(_stub, "is-certs", "remove", Client, "aa11")).ExitCode);

        Assert.Equal("application/x-pem-file", _stub.Requests[0].Header("Content-Type"));
    }

    [Fact]
    public async Task Groups_AddMembersAndRemoveMember_SendMembersAndEncodedMember()
    {
        _stub.On("POST", $"/api/v1/clients/{EncodedClient}/local-groups", StubResponse.Json(201, """{"code":"ops","description":"Operators","members":[]}"""));
        _stub.On("POST", $"/api/v1/clients/{EncodedClient}/local-groups/ops/members", StubResponse.Json(200, "{}"));
        _stub.On("DELETE", $"/api/v1/clients/{EncodedClient}/local-groups/ops/members/DEV%2FGOV%2F2%2Fapp", new StubResponse(204));

        Assert.Equal(ExitCodes.Ok, (await CliRun.RunAsync(_stub, "groups", "add", Client, "ops", "--description", "Operators")).ExitCode);
        Assert.Equal(ExitCodes.Ok, (await CliRun.RunAsync(_stub, "groups", "add-members", Client, "ops", "DEV/GOV/2/app", "DEV/GOV/3/app")).ExitCode);
        Assert.Equal(ExitCodes.Ok, (await CliRun.RunAsync(_stub, "groups", "remove-member", Client, "ops", "DEV/GOV/2/app")).ExitCode);

        Assert.Equal("""{"code":"ops","description":"Operators"}""", _stub.Requests[0].BodyText);
        Assert.Equal("""{"members":["DEV/GOV/2/app","DEV/GOV/3/app"]}""", _stub.Requests[1].BodyText);
        Assert.Equal(3, _stub.Requests.Count);
    }

    [Fact]
    public async Task ServicesAddOpenApi_FromFile_PostsTheDocumentAsBase64()
    {
        using var dir = new TempDir();
        var document = """{"openapi":"3.0.1"}""";
        _stub.On("POST", $"/api/v1/clients/{EncodedClient}/service-descriptions", StubResponse.Json(201, """{"id":"d1","type":"openapi3","services":[{"code":"bills","type":"rest","enabled":true}]}"""));

        var result = await CliRun.RunAsync(_stub, "services", "add-openapi", Client, "--file", dir.File("api.json", document), "--service-code", "bills", "--service-url", "http://127.0.0.1:9000");

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        var expected = $$"""{"type":"openapi3","content":"{{Convert.ToBase64String(Encoding.UTF8.GetBytes(document))}}","serviceCode":"bills","serviceUrl":"http://127.0.0.1:9000"}""";
        Assert.Equal(expected, Assert.Single(_stub.Requests).BodyText);
        Assert.Contains("bills", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServicesAddWsdl_FromUrl_PostsTheUrl()
    {
        _stub.On("POST", $"/api/v1/clients/{EncodedClient}/service-descriptions", StubResponse.Json(201, """{"id":"d2","type":"wsdl","services":[]}"""));

        Assert.Equal(ExitCodes.Ok, (await CliRun.RunAsync(_stub, "services", "add-wsdl", Client, "--url", "http://127.0.0.1:9000/svc?wsdl")).ExitCode);

        Assert.Equal("""{"type":"wsdl","url":"http://127.0.0.1:9000/svc?wsdl"}""", Assert.Single(_stub.Requests).BodyText);
    }

    [Fact]
    public async Task ServicesRefresh_WithoutFile_PostsNoBody()
    {
        _stub.On("POST", $"/api/v1/clients/{EncodedClient}/service-descriptions/d1/refresh", StubResponse.Json(200, """{"id":"d1","type":"wsdl","services":[]}"""));

        Assert.Equal(ExitCodes.Ok, (await CliRun.RunAsync(_stub, "services", "refresh", Client, "d1")).ExitCode);

        var request = Assert.Single(_stub.Requests);
        Assert.Empty(request.Body);
        Assert.Null(request.Header("Content-Type"));
    }

    [Fact]
    public async Task ServicesPutRest_ExistingService_KeepsItsAccessRights()
    {
        _stub.On("GET", $"/api/v1/clients/{EncodedClient}/services/bills", StubResponse.Json(200, """{"code":"bills","url":"http://old","accessRights":[{"subject":"DEV/GOV/2/app"}]}"""));
        _stub.On("PUT", $"/api/v1/clients/{EncodedClient}/services/bills", StubResponse.Json(200, """{"code":"bills","url":"http://127.0.0.1:9000","accessRights":[{"subject":"DEV/GOV/2/app"}]}"""));

        var result = await CliRun.RunAsync(_stub, "services", "put-rest", Client, "bills", "--url", "http://127.0.0.1:9000", "--endpoint", "GET /bills/**", "--endpoint", "POST /bills");

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Equal(2, _stub.Requests.Count);
        Assert.Equal(
            """{"type":"rest","url":"http://127.0.0.1:9000","enabled":true,"endpoints":[{"method":"GET","path":"/bills/**"},{"method":"POST","path":"/bills"}],"accessRights":[{"subject":"DEV/GOV/2/app"}]}""",
            _stub.Requests[1].BodyText);
    }

    [Fact]
    public async Task ServicesPutRest_NewService_SendsNoAccessRights()
    {
        _stub.On("GET", $"/api/v1/clients/{EncodedClient}/services/bills", StubResponse.Problem(404, "registry.not_found", "no such service"));
        _stub.On("PUT", $"/api/v1/clients/{EncodedClient}/services/bills", StubResponse.Json(201, """{"code":"bills"}"""));

        var result = await CliRun.RunAsync(_stub, "services", "put-rest", Client, "bills", "--url", "http://127.0.0.1:9000", "--disabled");

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Equal("""{"type":"rest","url":"http://127.0.0.1:9000","enabled":false,"endpoints":[]}""", _stub.Requests[1].BodyText);
    }

    [Fact]
    public async Task AccessGrant_AddsTheSubjectToTheExistingRights()
    {
        _stub.On("GET", $"/api/v1/clients/{EncodedClient}/services/bills", StubResponse.Json(200, """{"code":"bills","accessRights":[{"subject":"DEV/GOV/2/app"}]}"""));
        _stub.On("PUT", $"/api/v1/clients/{EncodedClient}/services/bills/access-rights", StubResponse.Json(200, """{"code":"bills","accessRights":[{"subject":"DEV/GOV/2/app"},{"subject":"local-group:ops","method":"GET","path":"/bills/**"}]}"""));

        var result = await CliRun.RunAsync(_stub, "access", "grant", Client, "bills", "local-group:ops", "--method", "GET", "--path", "/bills/**");

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Equal("""[{"subject":"DEV/GOV/2/app"},{"subject":"local-group:ops","method":"GET","path":"/bills/**"}]""", _stub.Requests[1].BodyText);
        Assert.Contains("local-group:ops  GET     /bills/**", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AccessGrant_AlreadyGranted_SendsNoPut()
    {
        _stub.On("GET", $"/api/v1/clients/{EncodedClient}/services/bills", StubResponse.Json(200, """{"code":"bills","accessRights":[{"subject":"DEV/GOV/2/app"}]}"""));

        var result = await CliRun.RunAsync(_stub, "access", "grant", Client, "bills", "DEV/GOV/2/app");

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Single(_stub.Requests);
        Assert.Contains("nothing changed", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AccessRevoke_RemovesEveryRightOfTheSubject()
    {
        _stub.On("GET", $"/api/v1/clients/{EncodedClient}/services/bills", StubResponse.Json(200, """{"code":"bills","accessRights":[{"subject":"DEV/GOV/2/app"},{"subject":"DEV/GOV/3/app","method":"GET"},{"subject":"DEV/GOV/3/app","path":"/x"}]}"""));
        _stub.On("PUT", $"/api/v1/clients/{EncodedClient}/services/bills/access-rights", StubResponse.Json(200, """{"code":"bills","accessRights":[{"subject":"DEV/GOV/2/app"}]}"""));

        var result = await CliRun.RunAsync(_stub, "access", "revoke", Client, "bills", "DEV/GOV/3/app");

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Equal("""[{"subject":"DEV/GOV/2/app"}]""", _stub.Requests[1].BodyText);
    }

    [Fact]
    public async Task AccessRevoke_WithMethod_RemovesOnlyThatRight()
    {
        _stub.On("GET", $"/api/v1/clients/{EncodedClient}/services/bills", StubResponse.Json(200, """{"code":"bills","accessRights":[{"subject":"DEV/GOV/3/app","method":"GET"},{"subject":"DEV/GOV/3/app","method":"POST"}]}"""));
        _stub.On("PUT", $"/api/v1/clients/{EncodedClient}/services/bills/access-rights", StubResponse.Json(200, "{}"));

        Assert.Equal(ExitCodes.Ok, (await CliRun.RunAsync(_stub, "access", "revoke", Client, "bills", "DEV/GOV/3/app", "--method", "POST")).ExitCode);

        Assert.Equal("""[{"subject":"DEV/GOV/3/app","method":"GET"}]""", _stub.Requests[1].BodyText);
    }

    [Fact]
    public async Task TsaAnchorDiagAddressOwnerRequests_UseTheirRoutes()
    {
        using var dir = new TempDir();
        var anchor = """{"instanceId":"DEV"}""";
        _stub.On("POST", "/api/v1/system/timestamping-services", StubResponse.Json(201, "{}"));
        _stub.On("DELETE", "/api/v1/system/timestamping-services/Dev%20TSA", new StubResponse(204));
        _stub.On("GET", "/api/v1/timestamping-services/approved", StubResponse.Json(200, """[{"name":"Dev TSA","url":"http://127.0.0.1:4400"}]"""));
        _stub.On("PUT", "/api/v1/system/anchor", StubResponse.Json(200, """{"instance":"DEV","sha256":"ab"}"""));
        _stub.On("GET", "/api/v1/diagnostics/peers/DEV%2FGOV%2F2%2Fss2", StubResponse.Json(200, """{"reachable":true,"latencyMs":3}"""));
        _stub.On("PUT", "/api/v1/system/address", StubResponse.Json(202, """{"requestId":5}"""));
        _stub.On("PUT", "/api/v1/system/owner", StubResponse.Json(202, """{"requestId":6}"""));
        _stub.On("GET", "/api/v1/management-requests", StubResponse.Json(200, "[]"));

        Assert.Equal(ExitCodes.Ok, (await CliRun.RunAsync(_stub, "tsa", "add", "Dev TSA")).ExitCode);
        Assert.Equal(ExitCodes.Ok, (await CliRun.RunAsync(_stub, "tsa", "remove", "Dev TSA")).ExitCode);
        var approved = await CliRun.RunAsync(_stub, "tsa", "approved");
        Assert.Equal(ExitCodes.Ok, (await CliRun.RunAsync(_stub, "anchor", "replace", dir.File("anchor.json", anchor))).ExitCode);
        var peer = await CliRun.RunAsync(_stub, "diag", "peer", "DEV/GOV/2/ss2");
        Assert.Equal(ExitCodes.Ok, (await CliRun.RunAsync(_stub, "address", "set", "ss1.example:5500")).ExitCode);
        Assert.Equal(ExitCodes.Ok, (await CliRun.RunAsync(_stub, "owner", "change", "DEV/GOV/2")).ExitCode);
        var requests = await CliRun.RunAsync(_stub, "requests", "list");

        Assert.Equal("""{"name":"Dev TSA"}""", _stub.Requests[0].BodyText);
        Assert.Equal("name     url\nDev TSA  http://127.0.0.1:4400\n", approved.Out);
        Assert.Equal("application/json", _stub.Requests[3].Header("Content-Type"));
        Assert.Equal(anchor, _stub.Requests[3].BodyText);
        Assert.Equal("reachable: yes\nlatencyMs: 3\n", peer.Out);
        Assert.Equal("""{"address":"ss1.example:5500"}""", _stub.Requests[5].BodyText);
        Assert.Equal("""{"memberId":"DEV/GOV/2"}""", _stub.Requests[6].BodyText);
        Assert.Equal("(none)\n", requests.Out);
    }

    [Fact]
    public async Task BackupRestore_PostsTheFileBytesAsOctetStream()
    {
        using var dir = new TempDir();
        var bytes = Enumerable.Range(0, 70_000).Select(i => (byte)(i * 7)).ToArray();
        _stub.On("POST", "/api/v1/backups/restore", StubResponse.Json(200, """{"serverId":"DEV/GOV/1/ss1","restoredFiles":["serverconf.json"]}"""));

        var result = await CliRun.RunAsync(_stub, "backup", "restore", dir.File("b.tar", bytes));

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        var request = Assert.Single(_stub.Requests);
        Assert.Equal("application/octet-stream", request.Header("Content-Type"));
        Assert.Equal(bytes, request.Body);
        Assert.Contains("Log in with the PIN the backed-up token had", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BackupDownload_WithOut_WritesTheBytes()
    {
        using var dir = new TempDir();
        const string name = "xgw-backup-ss1-20260101T000000Z.tar";
        var content = new string('x', 100_000);
        _stub.On("GET", "/api/v1/backups/" + name, new StubResponse(200, content, "application/x-tar"));
        var output = Path.Combine(dir.Path, "copy.tar");

        var result = await CliRun.RunAsync(_stub, "backup", "download", name, "--out", output);

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Equal(content, File.ReadAllText(output));
        Assert.Equal("Wrote 97.7 KiB to " + output + ".\n", result.Out);
    }

    [Fact]
    public async Task BackupDownload_Refused_LeavesNoFile()
    {
        using var dir = new TempDir();
        _stub.On("GET", "/api/v1/backups/nope.tar", StubResponse.Problem(404, "backup.not_found", "No backup has this name."));
        var output = Path.Combine(dir.Path, "copy.tar");

        var result = await CliRun.RunAsync(_stub, "backup", "download", "nope.tar", "--out", output);

        Assert.Equal(ExitCodes.Refused, result.ExitCode);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public async Task ApiKeysCreate_PostsNameAndRepeatedRoles()
    {
        _stub.On("POST", "/api/v1/api-keys", StubResponse.Json(201, """{"id":"k9","name":"ops","roles":["observer","auditor"],"key":"k9.secret"}"""));

        var result = await CliRun.RunAsync(_stub, "api-keys", "create", "ops", "--role", "observer", "--role", "auditor");

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Equal("""{"name":"ops","roles":["observer","auditor"]}""", Assert.Single(_stub.Requests).BodyText);
        Assert.Contains("key:   k9.secret", result.Out, StringComparison.Ordinal);
    }
}
