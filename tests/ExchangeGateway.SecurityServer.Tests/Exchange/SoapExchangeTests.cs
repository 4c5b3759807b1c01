using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ExchangeGateway.SecurityServer.Tests.Exchange;

/// <summary>The SOAP (X-Road 4.0) exchange through two real security servers (issue #5, must show).</summary>
[Collection(FederationCollection.Name)]
public sealed class SoapExchangeTests
{
    private readonly Federation _f;

    public SoapExchangeTests(Federation federation)
    {
        _f = federation;
    }

    [Fact]
    public async Task PlainRequest_EchoesHeaderFieldsInOrder_WithTheCheckedRequestHash()
    {
        var id = Guid.NewGuid().ToString();
        var soap = SoapFixtures.Envelope("echoSoap", id);
        using var response = await PostAsync(Encoding.UTF8.GetBytes(soap), "text/xml; charset=utf-8", soapAction: "\"urn:echoSoap\"");
        var answer = await response.Content.ReadAsStringAsync();

        Assert.True(HttpStatusCode.OK == response.StatusCode, answer);
        Assert.Null(SoapFixtures.FaultCode(answer));
        Assert.StartsWith("text/xml", response.Content.Headers.ContentType!.ToString(), StringComparison.Ordinal);

        // The echoed fields keep the request's order; the provider's server added requestHash over the SOAP part sent.
        var header = answer[answer.IndexOf("<SOAP-ENV:Header>", StringComparison.Ordinal)..answer.IndexOf("</SOAP-ENV:Header>", StringComparison.Ordinal)];
        var order = new[] { "<xrd:client", "<xrd:service", "<xrd:id>", "<xrd:userId>", "<xrd:protocolVersion>", "requestHash" }
            .Select(tag => header.IndexOf(tag, StringComparison.Ordinal)).ToArray();
        Assert.All(order, at => Assert.True(at >= 0, header));
        Assert.Equal(order.Order().ToArray(), order);
        Assert.Contains($">{SoapFixtures.RequestHash(soap)}</xrd:requestHash>", header, StringComparison.Ordinal);
        Assert.Contains("<m:echoSoapResponse", answer, StringComparison.Ordinal);

        // Only Content-Type and SOAPAction reach the provider (plus the HTTP framing).
        var seen = _f.Provider.Received.Last(r => r.RawTarget == "/soap/echo");
        Assert.Equal(soap, Encoding.UTF8.GetString(seen.Body));
        Assert.Equal("\"urn:echoSoap\"", seen.Headers["SOAPAction"]);
        Assert.Empty(seen.Headers.Keys.Except(["Host", "Content-Type", "SOAPAction", "Content-Length"], StringComparer.OrdinalIgnoreCase));

        Assert.Equal(2, _f.CountRecords("ss1", id));
        Assert.Equal(2, _f.CountRecords("ss2", id));
    }

    [Theory]
    [InlineData(1024)]
    [InlineData(5 * 1024 * 1024)]
    public async Task Attachments_ArriveByteIdentical_BothWays(int size)
    {
        var id = Guid.NewGuid().ToString();
        var attachment = SoapFixtures.Attachment(size);
        var soap = SoapFixtures.Envelope("echoSoap", id, content: "<m:file href=\"cid:att1@test\"/>");
        var (body, contentType) = SoapFixtures.Multipart(soap, [("att1@test", "application/octet-stream", attachment), ("att2@test", "text/plain", "second"u8.ToArray())]);
        using var response = await PostAsync(body, contentType);
        var answer = await response.Content.ReadAsByteArrayAsync();

        var start = Encoding.UTF8.GetString(answer.AsSpan(0, Math.Min(answer.Length, 2000)));
        Assert.True(HttpStatusCode.OK == response.StatusCode && SoapFixtures.FaultCode(start) is null, start);
        Assert.StartsWith("multipart/related", response.Content.Headers.ContentType!.ToString(), StringComparison.Ordinal);
        var seen = _f.Provider.Received.Last(r => r.RawTarget == "/soap/echo");
        Assert.Equal(body, seen.Body);
        Assert.True(answer.AsSpan().IndexOf(attachment) > 0, "the echoed attachment is not in the answer byte for byte");
        Assert.True(answer.AsSpan().IndexOf("second"u8) > 0);
        Assert.Equal(2, _f.CountRecords("ss2", id));
    }

    [Fact]
    public async Task Mtom_PassesWithItsXopReference()
    {
        var id = Guid.NewGuid().ToString();
        var soap = SoapFixtures.Envelope("echoSoap", id, content: "<m:file><xop:Include xmlns:xop=\"http://www.w3.org/2004/08/xop/include\" href=\"cid:bin@test\"/></m:file>");
        var (body, contentType) = SoapFixtures.Multipart(soap, [("bin@test", "application/octet-stream", SoapFixtures.Attachment(4096))], mtom: true);
        using var response = await PostAsync(body, contentType);
        var answer = await response.Content.ReadAsStringAsync();

        Assert.True(HttpStatusCode.OK == response.StatusCode && SoapFixtures.FaultCode(answer) is null, answer[..Math.Min(answer.Length, 2000)]);
        Assert.Equal(body, _f.Provider.Received.Last(r => r.RawTarget == "/soap/echo").Body);
        Assert.Contains("xop:Include", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProviderFault_PassesThroughUnchanged()
    {
        var id = Guid.NewGuid().ToString();
        using var response = await PostAsync(Encoding.UTF8.GetBytes(SoapFixtures.Envelope("faultSoap", id)), "text/xml; charset=utf-8");
        var answer = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal(SoapFixtures.ProviderFault, answer);
        Assert.Equal("SOAP-ENV:Server", SoapFixtures.FaultCode(answer));
        Assert.Equal(2, _f.CountRecords("ss1", id));
    }

    [Theory]
    [InlineData("wrongEcho", "server.serverproxy.inconsistent_response")]
    [InlineData("setsHash", "server.serverproxy.inconsistent_response")]
    [InlineData("notXml", "server.serverproxy.invalid_content_type")]
    public async Task ProviderAnswerThatBreaksTheProtocol_IsAFault(string code, string expected)
    {
        var id = Guid.NewGuid().ToString();
        using var response = await PostAsync(Encoding.UTF8.GetBytes(SoapFixtures.Envelope(code, id)), "text/xml; charset=utf-8");
        var answer = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expected, SoapFixtures.FaultCode(answer));
        Assert.Contains("<faultDetail>", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SoapCallToARestService_IsWrongServiceType_AndNotForwarded()
    {
        var before = _f.Provider.Received.Count;
        using var response = await PostAsync(Encoding.UTF8.GetBytes(SoapFixtures.Envelope("echo", Guid.NewGuid().ToString())), "text/xml; charset=utf-8");
        Assert.Equal("client.wrong_service_type", SoapFixtures.FaultCode(await response.Content.ReadAsStringAsync()));
        Assert.Equal(before, _f.Provider.Received.Count);
    }

    [Fact]
    public async Task RestCallToASoapService_IsWrongServiceType_AndNotForwarded()
    {
        var before = _f.Provider.Received.Count;
        using var request = new HttpRequestMessage(HttpMethod.Post, $"r1/{Federation.ProviderSubsystem}/echoSoap") { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Road-Client", Federation.Consumer);
        using var response = await _f.ClientProxy.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("client.wrong_service_type", response.Headers.GetValues("X-Road-Error").Single());
        Assert.Equal(before, _f.Provider.Received.Count);
    }

    public static TheoryData<string, string> BadHeaders()
    {
        var client = SoapFixtures.Client();
        var service = SoapFixtures.Service("echoSoap");
        const string id = "<xrd:id>x-1</xrd:id>";
        const string version = "<xrd:protocolVersion>4.0</xrd:protocolVersion>";
        return new TheoryData<string, string>
        {
            { service + id + version, "client.missing_header_field" },
            { client + id + version, "client.missing_header_field" },
            { client + service + version, "client.missing_header_field" },
            { client + service + id, "client.missing_header_field" },
            { client + client + service + id + version, "client.duplicate_header_field" },
            { client + service + service + id + version, "client.duplicate_header_field" },
            { client + service + id + id + version, "client.duplicate_header_field" },
            { client + service + id + version + version, "client.duplicate_header_field" },
            { client + service + id + version + "<xrd:unexpected>1</xrd:unexpected>", "client.invalid_soap" },
            { client + service + id + version + "<xrd:requestHash>AAAA</xrd:requestHash>", "client.invalid_soap" },
            { client + service + id + "<xrd:protocolVersion>3.1</xrd:protocolVersion>", "client.invalid_protocol_version" },
            { SoapFixtures.Client(objectType: "MEMBER") + service + id + version, "client.invalid_object_type" },
            { client + SoapFixtures.Service("echoSoap", objectType: "CENTRALSERVICE") + id + version, "client.invalid_object_type" },
        };
    }

    [Theory]
    [MemberData(nameof(BadHeaders))]
    public async Task BadHeaderFields_GetTheirExactFault_AndNothingIsForwarded(string header, string expected)
    {
        await AssertRefusedAsync(SoapFixtures.Envelope("echoSoap", "x-1", header: header), expected);
    }

    [Fact]
    public async Task WrapperThatIsNotTheServiceCode_IsInvalidBody()
    {
        await AssertRefusedAsync(SoapFixtures.Envelope("echoSoap", Guid.NewGuid().ToString(), wrapper: "somethingElse"), "client.invalid_body");
    }

    [Fact]
    public async Task SignatureWrappingVariant_SecondBodyAfterTheWrapper_IsRefused()
    {
        // The gateway must never judge one body and forward another: a second Body (or a second wrapper) is refused.
        var soap = SoapFixtures.Envelope("echoSoap", Guid.NewGuid().ToString())
            .Replace(SoapFixtures.EnvelopeEnd, "<SOAP-ENV:Body><m:deleteAll xmlns:m=\"urn:test\"/></SOAP-ENV:Body>" + SoapFixtures.EnvelopeEnd, StringComparison.Ordinal);
        await AssertRefusedAsync(soap, "client.invalid_soap");
    }

    [Fact]
    public async Task Xxe_ViaFileHttpAndParameterEntity_IsRefusedAtTheDtd_WithNoFileReadAndNoConnection()
    {
        var secret = _f.Directory.File("xxe-secret.txt");
        await File.WriteAllTextAsync(secret, "TOP-SECRET-SENTINEL");
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var inner = SoapFixtures.Envelope("echoSoap", "xxe", content: "<m:text>&xxe;</m:text>");
        var documents = new[]
        {
            $"<?xml version=\"1.0\"?><!DOCTYPE e [<!ENTITY xxe SYSTEM \"file://{secret}\">]>" + inner[inner.IndexOf("<SOAP-ENV:Envelope", StringComparison.Ordinal)..],
            $"<?xml version=\"1.0\"?><!DOCTYPE e [<!ENTITY xxe SYSTEM \"http://127.0.0.1:{port}/x\">]>" + inner[inner.IndexOf("<SOAP-ENV:Envelope", StringComparison.Ordinal)..],
            $"<?xml version=\"1.0\"?><!DOCTYPE e [<!ENTITY % p SYSTEM \"http://127.0.0.1:{port}/p.dtd\"> %p;]>" + inner[inner.IndexOf("<SOAP-ENV:Envelope", StringComparison.Ordinal)..],
        };
        foreach (var document in documents)
        {
            var answer = await AssertRefusedAsync(document, "client.invalid_xml");
            Assert.DoesNotContain("TOP-SECRET-SENTINEL", answer, StringComparison.Ordinal);
            Assert.Contains("DTD", answer, StringComparison.Ordinal);
        }

        Assert.False(listener.Pending(), "the gateway connected to the entity's URL");
    }

    [Fact]
    public async Task BillionLaughs_IsRefusedAtTheDtd()
    {
        var dtd = new StringBuilder("<!DOCTYPE lolz [<!ENTITY lol \"lol\">");
        for (var i = 1; i <= 9; i++)
        {
            dtd.Append($"<!ENTITY lol{i} \"{string.Concat(Enumerable.Repeat($"&lol{(i == 1 ? string.Empty : i - 1)};", 10))}\">");
        }

        dtd.Append("]>");
        var inner = SoapFixtures.Envelope("echoSoap", "lol", content: "<m:text>&lol9;</m:text>");
        var answer = await AssertRefusedAsync("<?xml version=\"1.0\"?>" + dtd + inner[inner.IndexOf("<SOAP-ENV:Envelope", StringComparison.Ordinal)..], "client.invalid_xml");
        Assert.Contains("DTD", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FortyThousandDeepNesting_IsRefusedAtTheDepthCap()
    {
        var content = string.Concat(Enumerable.Repeat("<m:n>", 40_000)) + string.Concat(Enumerable.Repeat("</m:n>", 40_000));
        var answer = await AssertRefusedAsync(SoapFixtures.Envelope("echoSoap", "deep", content: content), "client.invalid_xml");
        Assert.Contains("deeper than 64", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TruncatedMultipart_IsMimeParsingFailed()
    {
        var (body, contentType) = SoapFixtures.Multipart(SoapFixtures.Envelope("echoSoap", "trunc"), [("a@test", "application/octet-stream", SoapFixtures.Attachment(2048))]);
        await AssertRefusedAsync(body[..(body.Length - 40)], "client.mime_parsing_failed", contentType);
    }

    [Fact]
    public async Task MultipartWithoutBoundary_IsMimeParsingFailed()
    {
        var (body, _) = SoapFixtures.Multipart(SoapFixtures.Envelope("echoSoap", "nob"), [("a@test", "application/octet-stream", SoapFixtures.Attachment(16))]);
        await AssertRefusedAsync(body, "client.mime_parsing_failed", "multipart/related; type=\"text/xml\"");
    }

    private async Task<string> AssertRefusedAsync(string soap, string expected) => await AssertRefusedAsync(Encoding.UTF8.GetBytes(soap), expected, "text/xml; charset=utf-8");

    private async Task<string> AssertRefusedAsync(byte[] body, string expected, string contentType)
    {
        var before = _f.Provider.Received.Count;
        using var response = await PostAsync(body, contentType);
        var answer = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(expected == SoapFixtures.FaultCode(answer), answer);
        Assert.Contains("<faultDetail>", answer, StringComparison.Ordinal);
        Assert.Equal(before, _f.Provider.Received.Count);
        return answer;
    }

    private async Task<HttpResponseMessage> PostAsync(byte[] body, string contentType, string? soapAction = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, string.Empty) { Content = new ByteArrayContent(body) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        if (soapAction is not null)
        {
            request.Headers.TryAddWithoutValidation("SOAPAction", soapAction);
        }

        return await _f.ClientProxy.SendAsync(request);
    }
}
