using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using ExchangeGateway.Common.Exchange;
using ExchangeGateway.Common.Identifiers;

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

    [Fact]
    public async Task PeerWhoseSignedHeadNamesAnotherServiceThanItsSoap_IsInconsistentHeaders_AndNothingIsForwarded()
    {
        // A consumer's server (ss1's real keys) gets echoSoap authorised by the head while its SOAP calls secretSoap.
        var keys = TestToken.Keys(_f.DataDirectory("ss1"));
        using var auth = keys.LoadAuthenticationIdentity()!;
        using var signing = keys.LoadSigningIdentity(MemberId.Parse("DEV/GOV/70000001"))!;
        var id = Guid.NewGuid().ToString();
        var soap = Encoding.UTF8.GetBytes(SoapFixtures.Envelope("secretSoap", id));
        var head = new SoapRequestHead
        {
            Service = ServiceId.Parse($"{Federation.ProviderSubsystem}/echoSoap"),
            Client = ClientId.Parse(Federation.Consumer),
            MessageId = id,
            RequestId = Guid.NewGuid(),
            UserId = "EE12345678901",
            ProtocolVersion = "4.0",
            Headers = [new("content-type", "text/xml; charset=utf-8")],
            SoapLength = soap.Length,
            SoapDigest = SHA512.HashData(soap),
            BodyLength = soap.Length,
            BodyDigest = SHA512.HashData(soap),
        };
        var before = _f.Provider.Received.Count;
        var envelope = Rogue.Envelope(HeadCodec.Encode(head), soap, signing.Certificate, signing.Chain,
            await Rogue.OcspAsync(_f.Trust.BaseAddress, signing.Certificate, signing.Chain[0]), await Rogue.OcspAsync(_f.Trust.BaseAddress, auth.Certificate, auth.Chain[0]));
        var (response, error) = await Rogue.SendAsync(_f.Ports2.ServerProxy, Rogue.Usable(auth.Certificate), envelope, EnvelopeFrame.SoapPath);

        Assert.Null(error);
        Assert.Equal("server.serverproxy.inconsistent_headers", response!.Headers.GetValues("X-Road-Error").Single());
        Assert.Equal(before, _f.Provider.Received.Count);
    }

    [Fact]
    public async Task MutatedRequests_NeverGetAServerFault_AndNeverReachTheProviderMalformed()
    {
        // A bounded, seeded mutation run through the real client proxy: malformed input is the client's fault,
        // always (client.* fault code), never an internal error; the parser-level fuzz runs 20,000 inputs in Common.Tests.
        const int Seed = 5_0520;
        var random = new Random(Seed);
        var (multipart, multipartType) = SoapFixtures.Multipart(SoapFixtures.Envelope("echoSoap", "fuzz"), [("a@test", "application/octet-stream", SoapFixtures.Attachment(512))]);
        var corpus = new[] { (Encoding.UTF8.GetBytes(SoapFixtures.Envelope("echoSoap", "fuzz")), "text/xml; charset=utf-8"), (multipart, multipartType) };
        var deadline = DateTime.UtcNow.AddSeconds(20);
        for (var i = 0; i < 150 && DateTime.UtcNow < deadline; i++)
        {
            var (original, contentType) = corpus[i % corpus.Length];
            var mutated = Mutate(original, random);
            using var response = await PostAsync(mutated, contentType);
            var answer = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"seed {Seed} case {i}: HTTP {(int)response.StatusCode}");
            var code = SoapFixtures.FaultCode(answer);
            Assert.True(code is null || code.StartsWith("client.", StringComparison.Ordinal) || code.StartsWith("server.serverproxy.", StringComparison.Ordinal) && !code.EndsWith("internal_error", StringComparison.Ordinal),
                $"seed {Seed} case {i}: {code}");
        }
    }

    private static byte[] Mutate(byte[] original, Random random)
    {
        var bytes = original.ToList();
        var edits = random.Next(1, 4);
        for (var e = 0; e < edits && bytes.Count > 1; e++)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(4))
            {
                case 0:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    bytes.RemoveRange(at, Math.Min(random.Next(1, 16), bytes.Count - at));
                    break;
                case 2:
                    bytes.InsertRange(at, Encoding.ASCII.GetBytes(new[] { "<", ">", "</x>", "&amp;", "<!DOCTYPE x>", "\r\n--", "\"", "xrd:" }[random.Next(8)]));
                    break;
                default:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
            }
        }

        return [.. bytes];
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
