using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using ExchangeGateway.TrustServices.Ca;
using ExchangeGateway.Common.Identifiers;

namespace ExchangeGateway.SecurityServer.Tests.Exchange;

/// <summary>
/// Every refusal the issue names answers with its exact X-Road code and the provider sees nothing
/// (issue #4, must show; RELIABILITY.md rows 8, 9, 12, 13, 16, 17, 19, 29–31, 35, 37).
/// </summary>
[Collection(FederationCollection.Name)]
public sealed class ExchangeErrorTests
{
    private readonly Federation _f;

    public ExchangeErrorTests(Federation federation)
    {
        _f = federation;
    }

    [Theory]
    [InlineData("echo-missing", "POST", "/x", "server.serverproxy.unknown_service")]
    [InlineData("getOnly", "POST", "/patients/1", "server.serverproxy.access_denied")]
    [InlineData("getOnly", "GET", "/patients/1/history", "server.serverproxy.access_denied")]
    [InlineData("off", "GET", "/x", "server.serverproxy.service_disabled")]
    public async Task Refused_ByTheProviderServer_ProviderSeesNothing(string service, string method, string path, string code)
    {
        var marker = "/refused-" + Guid.NewGuid().ToString("N");
        await ExpectAsync(Request(method, $"r1/{Federation.ProviderSubsystem}/{service}{path}{(path.Contains('?', StringComparison.Ordinal) ? "&" : "?")}m={marker}"), HttpStatusCode.InternalServerError, code);
        Assert.DoesNotContain(_f.Provider.Received, r => r.RawTarget.Contains(marker, StringComparison.Ordinal));
    }

    [Fact]
    public async Task EndpointRight_AllowsOnlyItsMethodAndPath()
    {
        using var response = await _f.ClientProxy.SendAsync(Request("GET", $"r1/{Federation.ProviderSubsystem}/getOnly/patients/42"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("DEV/GOV/70000001/notlocal", "client.invalid_client_identifier")]
    [InlineData(Federation.ProviderSubsystem, "client.invalid_client_identifier")]
    [InlineData(Federation.Ghost, "server.clientproxy.invalid_client_identifier")]
    [InlineData(Federation.OtherConsumer, "server.clientproxy.ssl_authentication_failed")]
    [InlineData("DEV/GOV/70000001", "client.invalid_client_identifier")]
    [InlineData("DEV/GOV/7000 0001/consumer", "client.invalid_identifier")]
    [InlineData("DEV/GOV/70000001/consumer/extra/part", "client.invalid_identifier")]
    public async Task BadOrForeignClient_IsRefusedBeforeAnythingIsSent(string client, string code)
    {
        var marker = Guid.NewGuid().ToString("N");
        var request = new HttpRequestMessage(HttpMethod.Get, $"r1/{Federation.ProviderSubsystem}/echo/m-{marker}");
        request.Headers.TryAddWithoutValidation("X-Road-Client", client);
        await ExpectAsync(request, code.StartsWith("client.", StringComparison.Ordinal) ? HttpStatusCode.BadRequest : HttpStatusCode.InternalServerError, code);
        Assert.DoesNotContain(_f.Provider.Received, r => r.RawTarget.Contains(marker, StringComparison.Ordinal));
    }

    [Fact]
    public async Task IsCertificate_OnlyTheRegisteredOneMayActForTheClient()
    {
        var marker = Guid.NewGuid().ToString("N");
        Assert.Equal("server.clientproxy.ssl_authentication_failed", await CallOverTlsAsync(_f.StrangerCertificate, marker));
        Assert.Equal("server.clientproxy.ssl_authentication_failed", await CallOverTlsAsync(null, marker));
        Assert.DoesNotContain(_f.Provider.Received, r => r.RawTarget.Contains(marker, StringComparison.Ordinal));

        // With the registered certificate the IS passes the client proxy; the provider's server then
        // refuses, because this client holds no access right: proof the request went through.
        Assert.Equal("server.serverproxy.access_denied", await CallOverTlsAsync(_f.IsCertificate, marker));
    }

    private async Task<string> CallOverTlsAsync(X509Certificate2? certificate, string marker)
    {
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = static (_, _, _, _) => true };
        if (certificate is not null)
        {
            handler.ClientCertificates.Add(certificate);
            handler.ClientCertificateOptions = ClientCertificateOption.Manual;
        }

        using var http = new HttpClient(handler) { BaseAddress = new Uri($"https://127.0.0.1:{_f.Ports1.ClientProxyTls}/") };
        using var request = new HttpRequestMessage(HttpMethod.Get, $"r1/{Federation.ProviderSubsystem}/echo/{marker}");
        request.Headers.Add("X-Road-Client", Federation.CertifiedConsumer);
        using var response = await http.SendAsync(request);
        return response.Headers.TryGetValues("X-Road-Error", out var codes) ? codes.Single() : $"no error: {(int)response.StatusCode}";
    }

    [Fact]
    public async Task DuplicateXRoadClient_RawSocket_IsRefused()
    {
        var marker = Guid.NewGuid().ToString("N");
        var raw = $"GET /r1/{Federation.ProviderSubsystem}/echo/{marker} HTTP/1.1\r\nHost: x\r\nX-Road-Client: {Federation.Consumer}\r\nx-road-client: {Federation.Consumer}\r\nConnection: close\r\n\r\n";
        var answer = await RawAsync(_f.Ports1.ClientProxy, raw);
        Assert.StartsWith("HTTP/1.1 400", answer, StringComparison.Ordinal);
        Assert.Contains("X-Road-Error: client.duplicate_header_field", answer, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(_f.Provider.Received, r => r.RawTarget.Contains(marker, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("r1/DEV/ORG/70000002/provider/ec%20ho/x", "client.invalid_identifier")]
    [InlineData("r1/DEV/ORG/70000002/provider/echo/../admin", "client.bad_request")]
    [InlineData("r1/DEV/ORG/70000002/provider/echo/%2e%2e/admin", "client.bad_request")]
    [InlineData("r1/DEV/ORG/70000002/provider/echo/a%2Fb", "client.bad_request")]
    [InlineData("r1/DEV/ORG/70000002", "client.invalid_identifier")]
    [InlineData("listMethods", "client.invalid_request")]
    public async Task BadServiceTarget_IsRefusedFromTheRawTarget(string target, string code)
    {
        var raw = $"GET /{target} HTTP/1.1\r\nHost: x\r\nX-Road-Client: {Federation.Consumer}\r\nConnection: close\r\n\r\n";
        var before = _f.Provider.Received.Count;
        var answer = await RawAsync(_f.Ports1.ClientProxy, raw);
        Assert.StartsWith("HTTP/1.1 400", answer, StringComparison.Ordinal);
        Assert.Contains($"X-Road-Error: {code}", answer, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(before, _f.Provider.Received.Count);
    }

    [Fact]
    public async Task ErrorBody_IsXRoadJson_OrXmlOnRequest()
    {
        var request = Request("GET", $"r1/{Federation.ProviderSubsystem}/nothing-here");
        request.Headers.Accept.ParseAdd("application/xml");
        using var response = await _f.ClientProxy.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("<type>server.serverproxy.unknown_service</type>", body, StringComparison.Ordinal);
        Assert.Contains("<detail>", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReplayedMessageId_SecondIsRefused_ProviderSawOne()
    {
        var id = "replay-" + Guid.NewGuid();
        var marker = Guid.NewGuid().ToString("N");
        var first = Request("GET", $"r1/{Federation.ProviderSubsystem}/echo/{marker}");
        first.Headers.Add("X-Road-Id", id);
        using (var ok = await _f.ClientProxy.SendAsync(first))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        var second = Request("GET", $"r1/{Federation.ProviderSubsystem}/echo/{marker}");
        second.Headers.Add("X-Road-Id", id);
        await ExpectAsync(second, HttpStatusCode.BadRequest, "client.duplicate_message_id");
        Assert.Single(_f.Provider.Received, r => r.RawTarget.Contains(marker, StringComparison.Ordinal));
    }

    [Fact]
    public async Task OversizedBody_ContentLengthAndChunked_AreRefusedUnforwarded()
    {
        var marker = Guid.NewGuid().ToString("N");
        var tooLarge = new byte[Federation.MaxBodyBytes + 1];
        // Content-Length over the limit: refused from the header, before a byte of the body is read.
        var raw = $"POST /r1/{Federation.ProviderSubsystem}/echo/{marker} HTTP/1.1\r\nHost: x\r\nX-Road-Client: {Federation.Consumer}\r\nContent-Length: {tooLarge.Length}\r\nConnection: close\r\n\r\n";
        var answer = await RawAsync(_f.Ports1.ClientProxy, raw);
        Assert.StartsWith("HTTP/1.1 400", answer, StringComparison.Ordinal);
        Assert.Contains("X-Road-Error: client.request_too_large", answer, StringComparison.OrdinalIgnoreCase);

        var chunked = Request("POST", $"r1/{Federation.ProviderSubsystem}/echo/{marker}");
        chunked.Content = new StreamContent(new MemoryStream(tooLarge));
        chunked.Headers.TransferEncodingChunked = true;
        await ExpectAsync(chunked, HttpStatusCode.BadRequest, "client.request_too_large");

        var exact = Request("POST", $"r1/{Federation.ProviderSubsystem}/echo/{marker}-ok");
        exact.Content = new ByteArrayContent(new byte[Federation.MaxBodyBytes]);
        using var accepted = await _f.ClientProxy.SendAsync(exact);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Single(_f.Provider.Received, r => r.RawTarget.Contains(marker, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("down", "/x")]
    [InlineData("flaky", "/slow")]
    [InlineData("flaky", "/garbage")]
    public async Task ProviderFailure_IsAFastServiceFailed_AndAHealthyCallStillWorks(string service, string path)
    {
        // Twenty at once must not starve the server: afterwards a healthy exchange still succeeds.
        var before = ConnectionsToProvider();
        var failures = Enumerable.Range(0, 20).Select(_ => ExpectAsync(Request("GET", $"r1/{Federation.ProviderSubsystem}/{service}{path}"), HttpStatusCode.InternalServerError, "server.serverproxy.service_failed"));
        await Task.WhenAll(failures);
        using var healthy = await _f.ClientProxy.SendAsync(Request("GET", $"r1/{Federation.ProviderSubsystem}/echo/healthy"));
        Assert.Equal(HttpStatusCode.OK, healthy.StatusCode);

        // No socket is left behind: the hung and broken connections to the provider are closed
        // (allow the pool a couple of idle keep-alive connections).
        var after = ConnectionsToProvider();
        for (var i = 0; i < 50 && after > before + 2; i++)
        {
            await Task.Delay(100);
            after = ConnectionsToProvider();
        }

        Assert.True(after <= before + 2, $"{after} connections to the provider remain (were {before})");
    }

    /// <summary>Established TCP connections towards the fake provider's port, from /proc/net/tcp and tcp6 (dual-mode sockets show there).</summary>
    private int ConnectionsToProvider()
    {
        var port = _f.Provider.BaseAddress.Port.ToString("X4", System.Globalization.CultureInfo.InvariantCulture);
        return new[] { "/proc/net/tcp", "/proc/net/tcp6" }.Where(File.Exists).SelectMany(f => File.ReadLines(f).Skip(1))
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Count(f => f.Length > 3 && f[2].EndsWith(":" + port, StringComparison.Ordinal) && f[3] == "01");
    }

    [Fact]
    public async Task SpoofedClient_OfAnotherMember_AtTheServerProxy_IsSslAuthenticationFailed()
    {
        var ss1 = Keys("ss1");
        using var auth = ss1.LoadAuthenticationIdentity()!;
        using var signing = ss1.LoadSigningIdentity(MemberId.Parse("DEV/GOV/70000001"))!;
        var marker = "/spoof-" + Guid.NewGuid().ToString("N");
        var body = "x"u8.ToArray();

        // ss1 (authenticated by TLS) claims to send for the provider member's subsystem, which it does not host.
        var head = Rogue.Head(Federation.ProviderSubsystem, $"{Federation.ProviderSubsystem}/echo", body, target: marker);
        var envelope = Rogue.Envelope(head, body, signing.Certificate, signing.Chain, await Ocsp(signing.Certificate, signing.Chain[0]), await Ocsp(auth.Certificate, auth.Chain[0]));
        var (response, error) = await Rogue.SendAsync(_f.Ports2.ServerProxy, Rogue.Usable(auth.Certificate), envelope);
        Assert.Null(error);
        Assert.Equal("server.serverproxy.ssl_authentication_failed", response!.Headers.GetValues("X-Road-Error").Single());
        Assert.DoesNotContain(_f.Provider.Received, r => r.RawTarget.Contains(marker, StringComparison.Ordinal));
    }

    [Fact]
    public async Task SignatureByAnotherMember_IsSignatureVerification()
    {
        using var auth = Keys("ss1").LoadAuthenticationIdentity()!;
        using var foreign = Keys("ss2").LoadSigningIdentity(MemberId.Parse("DEV/ORG/70000002"))!;
        var marker = "/foreign-" + Guid.NewGuid().ToString("N");
        var body = "x"u8.ToArray();
        var head = Rogue.Head(Federation.Consumer, $"{Federation.ProviderSubsystem}/echo", body, target: marker);
        var envelope = Rogue.Envelope(head, body, foreign.Certificate, foreign.Chain, await Ocsp(foreign.Certificate, foreign.Chain[0]), await Ocsp(auth.Certificate, auth.Chain[0]));
        var (response, _) = await Rogue.SendAsync(_f.Ports2.ServerProxy, Rogue.Usable(auth.Certificate), envelope);
        Assert.Equal("server.serverproxy.signature_verification", response!.Headers.GetValues("X-Road-Error").Single());
        Assert.DoesNotContain(_f.Provider.Received, r => r.RawTarget.Contains(marker, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReplayedEnvelope_OnANewConnection_IsDuplicateMessageId()
    {
        var ss1 = Keys("ss1");
        using var auth = ss1.LoadAuthenticationIdentity()!;
        using var signing = ss1.LoadSigningIdentity(MemberId.Parse("DEV/GOV/70000001"))!;
        var marker = "/replay-" + Guid.NewGuid().ToString("N");
        var body = "x"u8.ToArray();
        var head = Rogue.Head(Federation.Consumer, $"{Federation.ProviderSubsystem}/echo", body, target: marker);
        var envelope = Rogue.Envelope(head, body, signing.Certificate, signing.Chain, await Ocsp(signing.Certificate, signing.Chain[0]), await Ocsp(auth.Certificate, auth.Chain[0]));
        var (first, _) = await Rogue.SendAsync(_f.Ports2.ServerProxy, Rogue.Usable(auth.Certificate), envelope);
        Assert.Equal(HttpStatusCode.OK, first!.StatusCode);
        var (second, _) = await Rogue.SendAsync(_f.Ports2.ServerProxy, Rogue.Usable(auth.Certificate), envelope);
        Assert.Equal("client.duplicate_message_id", second!.Headers.GetValues("X-Road-Error").Single());
        Assert.Single(_f.Provider.Received, r => r.RawTarget.Contains(marker, StringComparison.Ordinal));
    }

    [Fact]
    public async Task TamperedBody_AfterSigning_IsInvalidSignatureValue()
    {
        var ss1 = Keys("ss1");
        using var auth = ss1.LoadAuthenticationIdentity()!;
        using var signing = ss1.LoadSigningIdentity(MemberId.Parse("DEV/GOV/70000001"))!;
        var marker = "/tamper-" + Guid.NewGuid().ToString("N");
        var body = "original"u8.ToArray();
        var head = Rogue.Head(Federation.Consumer, $"{Federation.ProviderSubsystem}/echo", body, target: marker);
        var envelope = Rogue.Envelope(head, body, signing.Certificate, signing.Chain, await Ocsp(signing.Certificate, signing.Chain[0]), await Ocsp(auth.Certificate, auth.Chain[0]));
        envelope[^1] ^= 0x20;
        var (response, _) = await Rogue.SendAsync(_f.Ports2.ServerProxy, Rogue.Usable(auth.Certificate), envelope);
        Assert.Equal("server.serverproxy.invalid_signature_value", response!.Headers.GetValues("X-Road-Error").Single());
        Assert.DoesNotContain(_f.Provider.Received, r => r.RawTarget.Contains(marker, StringComparison.Ordinal));
    }

    public static TheoryData<string> BadPeerCertificates => ["unknown-ca", "expired", "rsa-1024", "sha-1", "revoked", "none"];

    [Theory]
    [MemberData(nameof(BadPeerCertificates))]
    public async Task BadPeerCertificate_IsRefused_ProviderSeesNothing(string kind)
    {
        using var signing = Keys("ss1").LoadSigningIdentity(MemberId.Parse("DEV/GOV/70000001"))!;
        var marker = "/peer-" + kind + "-" + Guid.NewGuid().ToString("N");
        var body = "x"u8.ToArray();
        var head = Rogue.Head(Federation.Consumer, $"{Federation.ProviderSubsystem}/echo", body, target: marker);
        var envelope = Rogue.Envelope(head, body, signing.Certificate, signing.Chain, await Ocsp(signing.Certificate, signing.Chain[0]), []);
        var certificate = await PeerCertificateAsync(kind);
        var (response, error) = await Rogue.SendAsync(_f.Ports2.ServerProxy, certificate, envelope);
        if (response is not null)
        {
            // The handshake passed (the CA is approved) but the certificate is not a registered, good one.
            Assert.Equal("server.serverproxy.ssl_authentication_failed", response.Headers.GetValues("X-Road-Error").Single());
        }
        else
        {
            Assert.NotNull(error);
        }

        Assert.DoesNotContain(_f.Provider.Received, r => r.RawTarget.Contains(marker, StringComparison.Ordinal));
    }

    [Fact]
    public async Task OutdatedConfiguration_IsRefused_ThenRecovers()
    {
        var marker = Guid.NewGuid().ToString("N");
        _f.Clock1.Offset = TimeSpan.FromMinutes(11);
        try
        {
            await ExpectAsync(Request("GET", $"r1/{Federation.ProviderSubsystem}/echo/{marker}"), HttpStatusCode.InternalServerError, "server.clientproxy.outdated_global_conf");
        }
        finally
        {
            _f.Clock1.Offset = TimeSpan.Zero;
        }

        Assert.DoesNotContain(_f.Provider.Received, r => r.RawTarget.Contains(marker, StringComparison.Ordinal));
        using var ok = await _f.ClientProxy.SendAsync(Request("GET", $"r1/{Federation.ProviderSubsystem}/echo/after-outdated"));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    [Fact]
    public async Task TsaDownPastThePeriod_IsTimestamperFailed_ThenTheBacklogIsStamped()
    {
        using var admin = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_f.Ports1.Admin}/") };
        _f.TsaDown = true;
        var marker = Guid.NewGuid().ToString("N");
        try
        {
            // Accepted inside the period: logged, not yet stamped.
            using (var accepted = await _f.ClientProxy.SendAsync(Request("GET", $"r1/{Federation.ProviderSubsystem}/echo/inside-{marker}")))
            {
                Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
            }

            _f.Clock1.Offset = TimeSpan.FromSeconds(45); // the period is 30 s
            await ExpectAsync(Request("GET", $"r1/{Federation.ProviderSubsystem}/echo/past-{marker}"), HttpStatusCode.InternalServerError, "server.clientproxy.timestamper_failed");
            Assert.DoesNotContain(_f.Provider.Received, r => r.RawTarget.Contains("past-" + marker, StringComparison.Ordinal));
            using var notReady = await admin.GetAsync("health/ready");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
        }
        finally
        {
            _f.TsaDown = false;
        }

        try
        {
            // The integrator retries with a bounded backoff; once it stamps the backlog the server is ready again.
            string last = "";
            for (var i = 0; i < 300; i++)
            {
                using var ready = await admin.GetAsync("health/ready");
                last = await ready.Content.ReadAsStringAsync();
                if (ready.StatusCode == HttpStatusCode.OK)
                {
                    break;
                }

                await Task.Delay(100);
            }

            Assert.Contains("\"status\":\"ready\"", last, StringComparison.Ordinal);
            using var again = await _f.ClientProxy.SendAsync(Request("GET", $"r1/{Federation.ProviderSubsystem}/echo/recovered-{marker}"));
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        }
        finally
        {
            _f.Clock1.Offset = TimeSpan.Zero;
        }
    }

    private async Task<X509Certificate2?> PeerCertificateAsync(string kind)
    {
        if (kind == "none")
        {
            return null;
        }

        if (kind == "unknown-ca")
        {
            using var pki = ExchangeGateway.Testing.Pki.TestPki.Create();
            return Rogue.Usable(pki.IssueAuthentication("DEV", "GOV", "70000001", "ss1"));
        }

        using var caWithKey = X509Certificate2.CreateFromPemFile(
            Path.Combine(_f.Trust.DataDirectory, "ca-intermediate.pem"), Path.Combine(_f.Trust.DataDirectory, "private", "intermediate.key"));
        using var ca = CertificateAuthority.Load(X509CertificateLoader.LoadPkcs12(caWithKey.Export(X509ContentType.Pkcs12), null), TimeProvider.System);
        const string subject = "C=DEV, O=GOV, CN=ss1, SERIALNUMBER=70000001";
        var now = DateTimeOffset.UtcNow;
        switch (kind)
        {
            case "expired":
                return Rogue.Usable(ca.IssueWithNewKey(subject, CertificateProfile.Authentication, KeyKind.EcdsaP256, new IssueOptions { NotBefore = now.AddDays(-10), NotAfter = now.AddDays(-1) }));
            case "rsa-1024":
                return Rogue.Usable(ca.IssueWithNewKey(subject, CertificateProfile.Authentication, KeyKind.Rsa1024));
            case "sha-1":
                return Rogue.Usable(ca.IssueWithNewKey(subject, CertificateProfile.Authentication, KeyKind.Rsa2048, new IssueOptions { SignatureHash = HashAlgorithmName.SHA1 }));
            default:
                // Issued by the approved CA, then revoked: never registered, and its status is revoked.
                var revoked = ca.IssueWithNewKey(subject, CertificateProfile.Authentication);
                using (var http = _f.Trust.CreateClient())
                {
                    using var revoke = await http.PostAsync($"ca/certificates/{revoked.SerialNumber}/revoke", null);
                }

                return Rogue.Usable(revoked);
        }
    }

    private TestToken.ServerKeys Keys(string server) => TestToken.Keys(_f.DataDirectory(server));

    private Task<byte[]> Ocsp(X509Certificate2 certificate, X509Certificate2 issuer) => Rogue.OcspAsync(_f.Trust.BaseAddress, certificate, issuer);

    private static HttpRequestMessage Request(string method, string uri)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), uri);
        request.Headers.Add("X-Road-Client", Federation.Consumer);
        return request;
    }

    private async Task ExpectAsync(HttpRequestMessage request, HttpStatusCode status, string code)
    {
        using (request)
        using (var response = await _f.ClientProxy.SendAsync(request))
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == status, $"{(int)response.StatusCode}: {body}");
            Assert.Equal(code, response.Headers.GetValues("X-Road-Error").Single());
            using var json = JsonDocument.Parse(body);
            Assert.Equal(code, json.RootElement.GetProperty("type").GetString());
            Assert.True(Guid.TryParse(json.RootElement.GetProperty("detail").GetString(), out _));
        }
    }

    private static async Task<string> RawAsync(int port, string request)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var reader = new StreamReader(stream, Encoding.ASCII);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return await reader.ReadToEndAsync(timeout.Token);
    }
}
