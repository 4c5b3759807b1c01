using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace ExchangeGateway.SecurityServer.Tests.Exchange;

/// <summary>
/// Metaservices through two real security servers (issue #5 item 5), and services registered from
/// descriptions through the admin API (item 4) being served, listed and described.
/// </summary>
[Collection(FederationCollection.Name)]
public sealed class MetaserviceTests
{
    private const string ProviderPath = "clients/DEV%2FORG%2F70000002%2Fprovider";
    private readonly Federation _f;

    public MetaserviceTests(Federation federation)
    {
        _f = federation;
    }

    [Fact]
    public async Task ListClients_AnswersXmlAndJson_FromTheGlobalConfiguration()
    {
        var xml = await _f.ClientProxy.GetStringAsync("listClients");
        Assert.Contains("clientList", xml, StringComparison.Ordinal);
        Assert.Contains("<id:subsystemCode>provider</id:subsystemCode>", xml, StringComparison.Ordinal);

        using var request = new HttpRequestMessage(HttpMethod.Get, "listClients?xRoadInstance=DEV");
        request.Headers.Accept.ParseAdd("application/json");
        using var response = await _f.ClientProxy.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        var json = await response.Content.ReadAsStringAsync();
        Assert.Contains("\"subsystem_code\":\"provider\"", json, StringComparison.Ordinal);

        var other = await _f.ClientProxy.GetStringAsync("listClients?xRoadInstance=ELSEWHERE");
        Assert.DoesNotContain("provider", other, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RestListMethods_ListsEveryRestService_AllowedMethodsOnlyWhatTheCallerMayCall()
    {
        var all = await GetRestAsync("listMethods");
        var allowed = await GetRestAsync("allowedMethods");
        var listed = Codes(all);
        Assert.Contains("echo", listed);
        Assert.Contains("secret", listed);
        Assert.DoesNotContain("echoSoap", listed);

        var mine = Codes(allowed);
        Assert.Contains("echo", mine);
        Assert.Contains("getOnly", mine);
        Assert.DoesNotContain("secret", mine);
        Assert.Contains("/patients/*", allowed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SoapListMethodsAndAllowedMethods_ListSoapServices_FilteredForTheCaller()
    {
        var all = await PostSoapAsync(SoapFixtures.Envelope("listMethods", Guid.NewGuid().ToString(), content: string.Empty, wrapper: "listMethods"));
        var allowed = await PostSoapAsync(SoapFixtures.Envelope("allowedMethods", Guid.NewGuid().ToString(), content: string.Empty, wrapper: "allowedMethods"));

        Assert.Null(SoapFixtures.FaultCode(all));
        Assert.Contains("listMethodsResponse", all, StringComparison.Ordinal);
        Assert.Contains("<id:serviceCode>echoSoap</id:serviceCode>", all, StringComparison.Ordinal);
        Assert.Contains("<id:serviceCode>secretSoap</id:serviceCode>", all, StringComparison.Ordinal);
        Assert.DoesNotContain("<id:serviceCode>echo</id:serviceCode>", all, StringComparison.Ordinal);

        Assert.Contains("<id:serviceCode>echoSoap</id:serviceCode>", allowed, StringComparison.Ordinal);
        Assert.DoesNotContain("secretSoap", allowed, StringComparison.Ordinal);
        Assert.Contains("requestHash", allowed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenApiDescription_RegisteredThroughTheAdminApi_IsServedListedAndDescribed()
    {
        var openApi = $$"""
            {"openapi":"3.0.3","info":{"title":"pets","version":"1"},"servers":[{"url":"{{_f.Provider.BaseAddress.ToString().TrimEnd('/')}}/petstore"} ],
             "paths":{"/pets":{"get":{"responses":{"200":{"description":"ok"} } } },"/pets/{id}":{"get":{"responses":{"200":{"description":"ok"} } } } } }
            """;
        using var admin = _f.Admin("ss2");
        using var added = await admin.PostAsJsonAsync($"{ProviderPath}/service-descriptions", new { type = "openapi3", content = Convert.ToBase64String(Encoding.UTF8.GetBytes(openApi)), serviceCode = "pets" });
        Assert.True(added.StatusCode == HttpStatusCode.Created, await added.Content.ReadAsStringAsync());
        await GrantAsync(admin, "pets");

        using (var call = await SendRestAsync(HttpMethod.Get, "pets/pets/7"))
        {
            Assert.Equal(HttpStatusCode.OK, call.StatusCode);
        }

        Assert.Contains(_f.Provider.Received, r => r.RawTarget == "/petstore/pets/7");
        Assert.Contains("/pets/*", await GetRestAsync("listMethods"), StringComparison.Ordinal);
        using var document = await SendRestAsync(HttpMethod.Get, "getOpenAPI?serviceCode=pets");
        Assert.Equal(HttpStatusCode.OK, document.StatusCode);
        Assert.Contains("\"/pets/{id}\"", await document.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var denied = await SendRestAsync(HttpMethod.Get, "getOpenAPI?serviceCode=secret");
        Assert.Equal("server.serverproxy.access_denied", denied.Headers.GetValues("X-Road-Error").Single());
    }

    [Fact]
    public async Task WsdlDescription_RegisteredThroughTheAdminApi_IsServed_AndGetWsdlAnswersItAsAnAttachment()
    {
        var wsdl = $$"""
            <?xml version="1.0" encoding="UTF-8"?>
            <wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/" xmlns:tns="urn:test" xmlns:xsd="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:test">
              <wsdl:types><xsd:schema targetNamespace="urn:test" elementFormDefault="qualified">
                <xsd:element name="describedSoap"><xsd:complexType><xsd:sequence><xsd:element name="text" type="xsd:string"/></xsd:sequence></xsd:complexType></xsd:element>
                <xsd:element name="describedSoapResponse"><xsd:complexType><xsd:sequence><xsd:element name="text" type="xsd:string"/></xsd:sequence></xsd:complexType></xsd:element>
              </xsd:schema></wsdl:types>
              <wsdl:message name="req"><wsdl:part name="body" element="tns:describedSoap"/></wsdl:message>
              <wsdl:message name="res"><wsdl:part name="body" element="tns:describedSoapResponse"/></wsdl:message>
              <wsdl:portType name="port"><wsdl:operation name="describedSoap"><wsdl:input message="tns:req"/><wsdl:output message="tns:res"/></wsdl:operation></wsdl:portType>
              <wsdl:binding name="binding" type="tns:port"><soap:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>
                <wsdl:operation name="describedSoap"><soap:operation soapAction=""/><wsdl:input><soap:body use="literal"/></wsdl:input><wsdl:output><soap:body use="literal"/></wsdl:output></wsdl:operation>
              </wsdl:binding>
              <wsdl:service name="svc"><wsdl:port name="p" binding="tns:binding"><soap:address location="{{_f.Provider.BaseAddress.ToString().TrimEnd('/')}}/soap/echo"/></wsdl:port></wsdl:service>
            </wsdl:definitions>
            """;
        using var admin = _f.Admin("ss2");
        using var added = await admin.PostAsJsonAsync($"{ProviderPath}/service-descriptions", new { type = "wsdl", content = Convert.ToBase64String(Encoding.UTF8.GetBytes(wsdl)) });
        Assert.True(added.StatusCode == HttpStatusCode.Created, await added.Content.ReadAsStringAsync());
        await GrantAsync(admin, "describedSoap");

        var answer = await PostSoapAsync(SoapFixtures.Envelope("describedSoap", Guid.NewGuid().ToString()));
        Assert.Null(SoapFixtures.FaultCode(answer));
        Assert.Contains("<m:describedSoapResponse", answer, StringComparison.Ordinal);

        var getWsdl = SoapFixtures.Envelope("getWsdl", Guid.NewGuid().ToString(), wrapper: "getWsdl",
            content: "<xrd:serviceCode>describedSoap</xrd:serviceCode>").Replace("<m:getWsdl xmlns:m=\"urn:test\">", "<xrd:getWsdl>", StringComparison.Ordinal).Replace("</m:getWsdl>", "</xrd:getWsdl>", StringComparison.Ordinal);
        using var response = await PostSoapRawAsync(getWsdl);
        var body = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("multipart/related", response.Content.Headers.ContentType!.ToString(), StringComparison.Ordinal);
        Assert.Contains("getWsdlResponse", body, StringComparison.Ordinal);
        Assert.Contains("<wsdl:operation name=\"describedSoap\">", body, StringComparison.Ordinal);
        Assert.DoesNotContain(_f.Provider.BaseAddress.Port.ToString(System.Globalization.CultureInfo.InvariantCulture) + "/soap/echo", body, StringComparison.Ordinal);

        var secret = getWsdl.Replace(">describedSoap<", ">secretSoap<", StringComparison.Ordinal).Replace("<xrd:id>", "<xrd:id>s-", StringComparison.Ordinal);
        Assert.Equal("server.serverproxy.access_denied", SoapFixtures.FaultCode(await PostSoapAsync(secret)));
    }

    private static async Task GrantAsync(HttpClient admin, string code)
    {
        using var granted = await admin.PutAsync($"{ProviderPath}/services/{code}/access-rights", new StringContent($$"""[{"subject":"{{Federation.Consumer}}"}]""", Encoding.UTF8, "application/json"));
        Assert.True(granted.IsSuccessStatusCode, await granted.Content.ReadAsStringAsync());
    }

    private static List<string> Codes(string json)
    {
        using var document = JsonDocument.Parse(json);
        return [.. document.RootElement.GetProperty("service").EnumerateArray().Select(s => s.GetProperty("service_code").GetString()!)];
    }

    private async Task<string> GetRestAsync(string metaservice)
    {
        using var response = await SendRestAsync(HttpMethod.Get, metaservice);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return body;
    }

    private async Task<HttpResponseMessage> SendRestAsync(HttpMethod method, string path)
    {
        using var request = new HttpRequestMessage(method, $"r1/{Federation.ProviderSubsystem}/{path}");
        request.Headers.Add("X-Road-Client", Federation.Consumer);
        return await _f.ClientProxy.SendAsync(request);
    }

    private async Task<string> PostSoapAsync(string soap)
    {
        using var response = await PostSoapRawAsync(soap);
        return await response.Content.ReadAsStringAsync();
    }

    private async Task<HttpResponseMessage> PostSoapRawAsync(string soap)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, string.Empty) { Content = new StringContent(soap, Encoding.UTF8, "text/xml") };
        return await _f.ClientProxy.SendAsync(request);
    }
}
