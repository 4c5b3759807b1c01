using System.Text;
using System.Text.Json.Nodes;
using ExchangeGateway.Common.Identifiers;
using ExchangeGateway.SecurityServer.Registry;

namespace ExchangeGateway.SecurityServer.Tests.Registry;

public sealed class LocalConfigurationSerializerTests
{
    private const string Malformed = "server.malformed_server_conf";

    [Fact]
    public void Read_ContractExample_ReadsEveryField()
    {
        var result = LocalConfigurationSerializer.Read(RegistrySamples.Utf8(RegistrySamples.ContractExample));

        Assert.True(result.Success, result.Message);
        var local = result.Value;
        Assert.Equal("DEV/GOV/70000001/ss1", local.ServerId.ToString());
        var client = Assert.Single(local.Clients);
        Assert.Equal(ClientId.Parse("DEV/GOV/70000001/consumer"), client.Id);
        Assert.Equal(ConnectionType.Http, client.ConnectionType);
        Assert.Empty(client.IsCertificateHashes);
        var service = Assert.Single(client.Services);
        Assert.Equal("echo", service.Code);
        Assert.Equal(ServiceType.Rest, service.Type);
        Assert.Equal("http://127.0.0.1:9000", service.Url);
        Assert.True(service.Enabled);
        Assert.Equal(TimeSpan.FromSeconds(5), service.ConnectTimeout);
        Assert.Equal(TimeSpan.FromSeconds(30), service.ReadTimeout);
        Assert.Equal(TimeSpan.FromSeconds(60), service.TotalTimeout);
        Assert.True(service.VerifyTls);
        Assert.True(service.LogBodies);
        var endpoint = Assert.Single(service.Endpoints);
        Assert.Equal(("*", "/**"), (endpoint.Method, endpoint.Path.Text));
        var right = Assert.Single(service.AccessRights);
        Assert.Equal(SubsystemId.Parse("DEV/ORG/70000002/clinic"), right.Subject.Subsystem);
        Assert.Equal(("*", "/**"), (right.Method, right.Path!.Text));
        Assert.Same(service, local.FindService(ServiceId.Parse("DEV/GOV/70000001/consumer/echo")));
    }

    [Fact]
    public void Write_ThenRead_RoundTripsToTheSameBytes()
    {
        var local = RegistrySamples.Configuration();

        var written = LocalConfigurationSerializer.Write(local);
        var read = LocalConfigurationSerializer.Read(written);

        Assert.True(read.Success, read.Message);
        Assert.Equal(Encoding.UTF8.GetString(written), Encoding.UTF8.GetString(LocalConfigurationSerializer.Write(read.Value)));
        Assert.Equal(local.Clients.Length, read.Value.Clients.Length);
        Assert.Equal(
            local.Clients.SelectMany(c => c.Services).Select(s => (s.Code, s.Enabled, s.AccessRights.Length)),
            read.Value.Clients.SelectMany(c => c.Services).Select(s => (s.Code, s.Enabled, s.AccessRights.Length)));
    }

    [Fact]
    public void Write_ContractExample_UsesContractOrderIndentationAndFinalNewline()
    {
        var read = LocalConfigurationSerializer.Read(RegistrySamples.Utf8(RegistrySamples.ContractExample));

        var text = Encoding.UTF8.GetString(LocalConfigurationSerializer.Write(read.Value!));

        Assert.StartsWith("{\n  \"serverId\": \"DEV/GOV/70000001/ss1\",\n  \"clients\": [\n    {\n      \"id\": \"DEV/GOV/70000001/consumer\",", text, StringComparison.Ordinal);
        Assert.EndsWith("}\n", text, StringComparison.Ordinal);
        var names = JsonNode.Parse(text)!["clients"]![0]!["services"]![0]!.AsObject().Select(p => p.Key);
        Assert.Equal(["code", "type", "url", "enabled", "connectTimeoutMs", "readTimeoutMs", "totalTimeoutMs", "verifyTls", "logBodies", "endpoints", "accessRights"], names);
    }

    [Fact]
    public void Write_IdentifiersWithApostropheAndPlus_AreNotEscaped()
    {
        var local = LocalConfiguration.Create(RegistrySamples.ServerId, [new LocalClient { Id = ClientId.Parse("DEV/GOV/70000001/o'brien+co") }]);

        var text = Encoding.UTF8.GetString(LocalConfigurationSerializer.Write(local));

        Assert.Contains("\"DEV/GOV/70000001/o'brien+co\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_MinimalObjects_AppliesDocumentedDefaults()
    {
        const string json = """
            {"serverId":"DEV/GOV/70000001/ss1","clients":[{"id":"DEV/GOV/70000001/p","services":[{"code":"s","url":"https://provider.example/api/"}]}]}
            """;

        var result = LocalConfigurationSerializer.Read(RegistrySamples.Utf8(json));

        Assert.True(result.Success, result.Message);
        var client = result.Value.Clients[0];
        Assert.Equal(ConnectionType.Http, client.ConnectionType);
        var s = client.Services[0];
        Assert.Equal((ServiceType.Rest, true, 5000, 30000, 60000, true, true, 0, 0), (s.Type, s.Enabled, s.ConnectTimeoutMs, s.ReadTimeoutMs, s.TotalTimeoutMs, s.VerifyTls, s.LogBodies, s.Endpoints.Length, s.AccessRights.Length));
    }

    [Fact]
    public void Read_AccessRightWithoutMethodAndPath_GrantsTheWholeServiceAndRoundTripsWithoutThem()
    {
        var json = Mutate(n => n["clients"]![0]!["services"]![0]!["accessRights"] = new JsonArray(new JsonObject { ["subject"] = "group:DEV/hospitals" }));

        var result = LocalConfigurationSerializer.Read(RegistrySamples.Utf8(json));

        Assert.True(result.Success, result.Message);
        var right = result.Value.Clients[0].Services[0].AccessRights[0];
        Assert.Equal(GlobalGroupId.Parse("DEV/hospitals"), right.Subject.Group);
        Assert.Null(right.Method);
        Assert.Null(right.Path);
        var text = Encoding.UTF8.GetString(LocalConfigurationSerializer.Write(result.Value));
        Assert.Contains("{\n              \"subject\": \"group:DEV/hospitals\"\n            }", text, StringComparison.Ordinal);
    }

    // The first service turned into a SOAP service (rights whole, no endpoints) so SOAP rules can be probed.
    private static JsonNode Soap(JsonNode n)
    {
        var s = Service(n);
        s["type"] = "soap";
        s["endpoints"] = new JsonArray();
        s["accessRights"] = new JsonArray(new JsonObject { ["subject"] = "DEV/ORG/70000002/clinic" });
        return s;
    }

    private static JsonObject Description(Action<JsonObject>? change = null)
    {
        var d = new JsonObject
        {
            ["id"] = "1",
            ["type"] = "wsdl",
            ["source"] = "http://127.0.0.1:9000/service?wsdl",
            ["disabled"] = false,
            ["refreshedAt"] = "2025-01-31T12:00:00.000Z",
            ["documentSha256"] = new string('a', 64),
        };
        change?.Invoke(d);
        return d;
    }

    public static TheoryData<string, string> Rejections() => new()
    {
        // Structure.
        { Mutate(n => n["extra"] = 1), "$ has the unknown member 'extra'" },
        { Mutate(n => Service(n)["timeout"] = 1), "$.clients[0].services[0] has the unknown member 'timeout'" },
        { Mutate(n => Endpoint(n)["verb"] = "GET"), "$.clients[0].services[0].endpoints[0] has the unknown member 'verb'" },
        { Mutate(n => n.AsObject().Remove("serverId")), "$ lacks the required member 'serverId'" },
        { Mutate(n => n.AsObject().Remove("clients")), "$ lacks the required member 'clients'" },
        { Mutate(n => Client(n).AsObject().Remove("id")), "$.clients[0] lacks the required member 'id'" },
        { Mutate(n => Service(n).AsObject().Remove("url")), "$.clients[0].services[0] lacks the required member 'url'" },
        { Mutate(n => Service(n).AsObject().Remove("code")), "$.clients[0].services[0] lacks the required member 'code'" },
        { RegistrySamples.ContractExample.Replace("\"serverId\": \"DEV/GOV/70000001/ss1\",", "\"serverId\": \"DEV/GOV/70000001/ss1\", \"serverId\": \"DEV/GOV/70000001/ss2\",", StringComparison.Ordinal), "$ has the member 'serverId' more than once" },
        { RegistrySamples.ContractExample.Replace("\"enabled\": true,", "\"enabled\": true, \"enabled\": false,", StringComparison.Ordinal), "$.clients[0].services[0] has the member 'enabled' more than once" },
        { RegistrySamples.ContractExample.Replace("\"method\": \"*\", \"path\"", "\"method\": \"*\", \"method\": \"GET\", \"path\"", StringComparison.Ordinal), "has the member 'method' more than once" },
        { "[]", "$ must be an object" },
        { Mutate(n => n["clients"] = new JsonObject()), "$.clients must be an array" },
        { Mutate(n => Service(n)["url"] = null), "$.clients[0].services[0].url must be a string" },
        { Mutate(n => Service(n)["enabled"] = "yes"), "$.clients[0].services[0].enabled must be true or false" },
        { Mutate(n => Service(n)["totalTimeoutMs"] = 1.5), "$.clients[0].services[0].totalTimeoutMs must be an integer" },
        { Mutate(n => Service(n)["totalTimeoutMs"] = "60000"), "$.clients[0].services[0].totalTimeoutMs must be an integer" },
        { Mutate(n => Service(n)["totalTimeoutMs"] = 3_000_000_000L), "$.clients[0].services[0].totalTimeoutMs must be an integer" },
        { RegistrySamples.ContractExample.Replace("\"logBodies\": true,", "\"logBodies\": true,,", StringComparison.Ordinal), "is not valid JSON" },
        { RegistrySamples.ContractExample.Replace("\"logBodies\": true,", "\"logBodies\": true, // why\n", StringComparison.Ordinal), "is not valid JSON" },
        { RegistrySamples.ContractExample.Replace("}\n  ]\n}", "},\n  ]\n}", StringComparison.Ordinal), "is not valid JSON" },
        { "{\"serverId\":" + new string('[', 40) + new string(']', 40) + "}", "is not valid JSON" },

        // Identifiers.
        { Mutate(n => n["serverId"] = "DEV/GOV/70000001"), "$.serverId: Invalid security server identifier" },
        { Mutate(n => Client(n)["id"] = "DEV/GOV/70000001/con sumer"), "$.clients[0].id: Invalid client identifier" },
        { Mutate(n => Client(n)["id"] = "EE/GOV/70000001/consumer"), "client EE/GOV/70000001/consumer belongs to instance EE, but this server belongs to DEV" },
        { Mutate(n => Right(n)["subject"] = "DEV/ORG/70000002"), "$.clients[0].services[0].accessRights[0].subject: Invalid subsystem identifier" },
        { Mutate(n => Right(n)["subject"] = "group:DEV"), "$.clients[0].services[0].accessRights[0].subject: Invalid global group identifier" },
        { Mutate(n => Right(n)["subject"] = "GROUP:DEV/hospitals"), "$.clients[0].services[0].accessRights[0].subject: Invalid subsystem identifier" },

        // Clients.
        { Mutate(n => Client(n)["connectionType"] = "HTTP"), "$.clients[0].connectionType must be http, https or https-certificate" },
        { Mutate(n => Client(n)["isCertificates"] = new JsonArray("abc")), "client DEV/GOV/70000001/consumer: isCertificates[0] must be the SHA-256" },
        { Mutate(n => Client(n)["isCertificates"] = new JsonArray(new string('A', 64))), "client DEV/GOV/70000001/consumer: isCertificates[0] must be the SHA-256" },
        { Mutate(n => Client(n)["isCertificates"] = new JsonArray(new string('a', 64), new string('a', 64))), "client DEV/GOV/70000001/consumer: isCertificates[1] repeats an earlier certificate" },
        { Mutate(n => Client(n)["id"] = "DEV/GOV/70000001"), "client DEV/GOV/70000001 is a member; only subsystems offer services" },
        { Mutate(n => n["clients"]!.AsArray().Add(Client(n).DeepClone())), "client DEV/GOV/70000001/consumer is listed more than once" },

        // Services.
        { Mutate(n => Service(n)["type"] = "grpc"), "$.clients[0].services[0].type must be rest or soap" },
        { Mutate(n => Service(n)["type"] = "SOAP"), "$.clients[0].services[0].type must be rest or soap" },
        { Mutate(n => Service(n)["version"] = "v1"), "service 'echo': only SOAP services have a version" },
        { Mutate(n => Soap(n)["version"] = "v 1"), "service 'echo': the version is invalid" },
        { Mutate(n => Soap(n)["version"] = "v1/v2"), "service 'echo': the version is invalid" },
        { Mutate(n => Soap(n)["endpoints"] = new JsonArray(new JsonObject { ["method"] = "GET", ["path"] = "/**" })), "a SOAP service has no method and path endpoints" },
        { Mutate(n => Soap(n)["accessRights"] = new JsonArray(new JsonObject { ["subject"] = "DEV/ORG/70000002/clinic", ["method"] = "POST" })), "accessRights[0] has a method or path, but a SOAP service is granted whole" },
        { Mutate(n => Service(n)["descriptionId"] = "7"), "service 'echo': descriptionId '7' names no service description of this client" },
        { Mutate(n => Service(n)["descriptionId"] = "a b"), "a service description id may hold only" },
        { Mutate(n => Client(n)["descriptions"] = new JsonArray(Description(d => d.Remove("refreshedAt")))), "$.clients[0].descriptions[0] lacks the required member 'refreshedAt'" },
        { Mutate(n => Client(n)["descriptions"] = new JsonArray(Description(d => d["type"] = "wsdl2"))), "$.clients[0].descriptions[0].type must be wsdl or openapi3" },
        { Mutate(n => Client(n)["descriptions"] = new JsonArray(Description(d => d["extra"] = 1))), "$.clients[0].descriptions[0] has the unknown member 'extra'" },
        { Mutate(n => Client(n)["descriptions"] = new JsonArray(Description(d => d["refreshedAt"] = "yesterday"))), "$.clients[0].descriptions[0].refreshedAt must be a UTC time" },
        { Mutate(n => Client(n)["descriptions"] = new JsonArray(Description(d => d["documentSha256"] = "abc"))), "service description '1': documentSha256 must be 64 lowercase hex digits" },
        { Mutate(n => Client(n)["descriptions"] = new JsonArray(Description(d => d["source"] = "file:///etc/passwd"))), "service description '1': source must be an absolute http or https URL" },
        { Mutate(n => Client(n)["descriptions"] = new JsonArray(Description(d => d["serviceUrl"] = "http://h/x?y"))), "service description '1': serviceUrl must not have a query" },
        { Mutate(n => Client(n)["descriptions"] = new JsonArray(Description(d => d["serviceCode"] = "x"))), "serviceCode belongs to OpenAPI descriptions only" },
        { Mutate(n => Client(n)["descriptions"] = new JsonArray(Description(d => d["type"] = "openapi3"))), "service description '1': client DEV/GOV/70000001/consumer: a service has no code" },
        { Mutate(n => Client(n)["descriptions"] = new JsonArray(Description(d => { d["type"] = "openapi3"; d["serviceCode"] = "getOpenAPI"; }))), "the service code 'getOpenAPI' is reserved for a metaservice" },
        { Mutate(n => Client(n)["descriptions"] = new JsonArray(Description(d => d["disabledNotice"] = "a\nb"))), "disabledNotice must not contain control characters" },
        { Mutate(n => Client(n)["descriptions"] = new JsonArray(Description(d => d["disabledNotice"] = new string('n', 256)))), "disabledNotice is longer than 255 characters" },
        { Mutate(n => Client(n)["descriptions"] = new JsonArray(Description(), Description())), "has the service description id '1' more than once" },
        { Mutate(n => { Client(n)["descriptions"] = new JsonArray(Description()); Service(n)["descriptionId"] = "1"; }), "service 'echo' is rest but its description '1' describes soap services" },
        { Mutate(n => { Client(n)["id"] = "DEV/GOV/70000001"; Client(n)["services"] = new JsonArray(); Client(n)["descriptions"] = new JsonArray(Description()); }), "is a member; only subsystems register service descriptions" },
        { Mutate(n => Service(n)["code"] = "ec ho"), "client DEV/GOV/70000001/consumer: a service code is invalid" },
        { Mutate(n => Service(n)["code"] = "a/b"), "a service code must not contain '/'" },
        { Mutate(n => Service(n)["code"] = ".."), "a service code is invalid" },
        { Mutate(n => Services(n).Add(Service(n).DeepClone())), "client DEV/GOV/70000001/consumer has the service code 'echo' more than once" },
        { Mutate(n => Service(n)["url"] = "/relative"), "service 'echo': url must be an absolute http or https URL" },
        { Mutate(n => Service(n)["url"] = "ftp://127.0.0.1/"), "service 'echo': url must be an absolute http or https URL" },
        { Mutate(n => Service(n)["url"] = "file:///etc/passwd"), "service 'echo': url must be an absolute http or https URL" },
        { Mutate(n => Service(n)["url"] = "http://user:secret@127.0.0.1:9000"), "service 'echo': url must not contain user info" },
        { Mutate(n => Service(n)["url"] = "http://127.0.0.1:9000/api?key=1"), "service 'echo': url must not have a query or fragment" },
        { Mutate(n => Service(n)["url"] = "http://127.0.0.1:9000/api#x"), "service 'echo': url must not have a query or fragment" },
        { Mutate(n => Service(n)["url"] = "http://127.0.0.1:9000/a b"), "service 'echo': url must be printable ASCII" },
        { Mutate(n => Service(n)["url"] = "http://127.0.0.1:9000/a/../b"), "service 'echo': url has a path the gateway would refuse" },
        { Mutate(n => Service(n)["url"] = ""), "service 'echo': url is empty" },
        { Mutate(n => Service(n)["connectTimeoutMs"] = 0), "service 'echo': connectTimeoutMs must be between 1 and 86400000 milliseconds" },
        { Mutate(n => Service(n)["readTimeoutMs"] = -1), "service 'echo': readTimeoutMs must be between 1 and 86400000 milliseconds" },
        { Mutate(n => Service(n)["totalTimeoutMs"] = 86_400_001), "service 'echo': totalTimeoutMs must be between 1 and 86400000 milliseconds" },
        { Mutate(n => Endpoint(n)["method"] = "get"), "$.clients[0].services[0].endpoints[0].method: method must be '*' or an upper-case HTTP method" },
        { Mutate(n => Endpoint(n)["path"] = "pets"), "$.clients[0].services[0].endpoints[0].path: the path pattern must start with '/'" },
        { Mutate(n => Endpoint(n)["path"] = "/a/**b"), "'**' must be a whole segment" },
        { Mutate(n => Endpoint(n)["path"] = "/a//b"), "is empty ('//')" },
        { Mutate(n => Right(n)["path"] = "/a/../b"), "$.clients[0].services[0].accessRights[0].path: segment 2 of the path pattern is a dot segment" },
        { Mutate(n => Right(n)["path"] = "/a/%2e%2e/b"), "$.clients[0].services[0].accessRights[0].path: segment 2 of the path pattern could never match" },
        { Mutate(n => Right(n)["path"] = "/a b"), "segment 1 of the path pattern contains U+0020" },
        { Mutate(n => Right(n)["method"] = "GET POST"), "$.clients[0].services[0].accessRights[0].method: method must be" },
    };

    [Theory]
    [MemberData(nameof(Rejections))]
    public void Read_InvalidDocument_FailsNamingTheBadItem(string json, string expected)
    {
        var result = LocalConfigurationSerializer.Read(RegistrySamples.Utf8(json));

        Assert.False(result.Success);
        Assert.Equal(Malformed, result.ErrorCode);
        Assert.Contains(expected, result.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("listClients")]
    [InlineData("listMethods")]
    [InlineData("allowedMethods")]
    [InlineData("getWsdl")]
    [InlineData("getOpenAPI")]
    [InlineData("getSecurityServerMetrics")]
    [InlineData("getSecurityServerOperationalData")]
    [InlineData("getSecurityServerHealthData")]
    public void Read_ReservedServiceCode_IsRefused(string code)
    {
        var result = LocalConfigurationSerializer.Read(RegistrySamples.Utf8(Mutate(n => Service(n)["code"] = code)));

        Assert.False(result.Success);
        Assert.Contains($"the service code '{code}' is reserved for a metaservice", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ReservedCodeInAnotherCase_IsAnOrdinaryCode()
    {
        var result = LocalConfigurationSerializer.Read(RegistrySamples.Utf8(Mutate(n => Service(n)["code"] = "listmethods")));

        Assert.True(result.Success, result.Message);
    }

    [Fact]
    public void Read_ByteOrderMark_IsRefused()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(RegistrySamples.ContractExample)).ToArray();

        var result = LocalConfigurationSerializer.Read(bytes);

        Assert.False(result.Success);
        Assert.Contains("byte order mark", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_InvalidUtf8_IsRefused()
    {
        var bytes = Encoding.UTF8.GetBytes(RegistrySamples.ContractExample.Replace("echo", "ech\u00f6", StringComparison.Ordinal));
        var at = Array.IndexOf(bytes, (byte)0xC3);
        bytes[at] = 0xFF;

        var result = LocalConfigurationSerializer.Read(bytes);

        Assert.False(result.Success);
        Assert.Contains("not valid UTF-8", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_LargerThanTheCap_IsRefusedBeforeParsing()
    {
        var bytes = new byte[LocalConfigurationSerializer.MaxBytes + 1];
        bytes.AsSpan().Fill((byte)' ');

        var result = LocalConfigurationSerializer.Read(bytes);

        Assert.False(result.Success);
        Assert.Contains("more than the limit", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_UnknownMemberName_IsPrintedOnlyAsSafeAscii()
    {
        var json = RegistrySamples.ContractExample.Replace("\"serverId\"", "\"\\u001b[31mx\": 1, \"serverId\"", StringComparison.Ordinal);

        var result = LocalConfigurationSerializer.Read(RegistrySamples.Utf8(json));

        Assert.False(result.Success);
        Assert.Contains("unknown member '?[31mx'", result.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', result.Message);
    }

    internal static string Mutate(Action<JsonNode> change)
    {
        var node = JsonNode.Parse(RegistrySamples.ContractExample)!;
        change(node);
        return node.ToJsonString();
    }

    private static JsonNode Client(JsonNode n) => n["clients"]![0]!;

    private static JsonArray Services(JsonNode n) => Client(n)["services"]!.AsArray();

    private static JsonNode Service(JsonNode n) => Services(n)[0]!;

    private static JsonNode Endpoint(JsonNode n) => Service(n)["endpoints"]![0]!;

    private static JsonNode Right(JsonNode n) => Service(n)["accessRights"]![0]!;
}
