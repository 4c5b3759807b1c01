using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ExchangeGateway.Common.Crypto.Ocsp;
using ExchangeGateway.Common.Results;
using ExchangeGateway.Testing.Hosting;
using ExchangeGateway.Testing.Pki;
using ExchangeGateway.Testing.Tools;
using ExchangeGateway.TrustServices.Ocsp;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ExchangeGateway.TrustServices.Tests.Ocsp;

/// <summary>
/// The responder on a real Kestrel host on loopback, asked by our client and by OpenSSL. Real time is
/// used throughout because OpenSSL checks the response against its own clock.
/// </summary>
public sealed class OcspEndpointFunctionalTests : IAsyncLifetime, IDisposable
{
    private readonly TestPki _pki = TestPki.Create(name: "Functional");
    private readonly ConcurrentDictionary<string, CertificateStatusEntry> _statuses = new(StringComparer.Ordinal);
    private readonly X509Certificate2 _good;
    private readonly X509Certificate2 _revoked;
    private LoopbackHost? _host;

    public OcspEndpointFunctionalTests()
    {
        _good = _pki.IssueSigning("EE", "GOV", "70000001");
        _revoked = _pki.IssueSigning("EE", "GOV", "70000002");
        _statuses[Hex(_good)] = CertificateStatusEntry.Good;
        _statuses[Hex(_revoked)] = CertificateStatusEntry.Revoked(DateTimeOffset.UtcNow.AddDays(-1), OcspRevocationReason.KeyCompromise);
    }

    private LoopbackHost Host => _host ?? throw new InvalidOperationException("The host has not started.");

    private Uri OcspUri => new(Host.BaseAddress, "ocsp");

    public async Task InitializeAsync()
    {
        var responder = new OcspResponder(
            _pki.IntermediateCertificate,
            _pki.OcspResponder,
            serial => _statuses.GetValueOrDefault(Convert.ToHexString(serial)),
            TimeProvider.System);
        _host = await LoopbackHost.StartAsync(null, app =>
        {
            app.MapOcsp("/ocsp", responder);
            app.MapPost("/broken", () => Results.StatusCode(StatusCodes.Status500InternalServerError));
            app.MapPost("/html", () => Results.Content("<html>maintenance</html>", "text/html"));
        });
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }

    public void Dispose() => _pki.Dispose();

    [Fact]
    public async Task FetchAsync_ValidCertificate_ReturnsGood()
    {
        using var http = Host.CreateClient();
        var client = new OcspClient(http, TimeProvider.System);
        var options = OcspVerificationOptions.Default with { ExpectedNonce = OcspRequestBuilder.CreateNonce() };

        var result = await client.FetchAsync(OcspUri, _good, _pki.IntermediateCertificate, options);

        Assert.True(result.IsGood, result.Verification.ToString());
        Assert.Equal(OcspCertificateStatus.Good, result.Verification.Value!.Status);
        Assert.False(result.Response.IsEmpty);
    }

    [Fact]
    public async Task FetchAsync_RevokedCertificate_FailsWithCertificateRevoked()
    {
        using var http = Host.CreateClient();
        var client = new OcspClient(http, TimeProvider.System);

        var result = await client.FetchAsync(OcspUri, _revoked, _pki.IntermediateCertificate, certificateIdHash: HashAlgorithmName.SHA1);

        Assert.Equal(TrustFailure.CertificateRevoked, result.Verification.Failure);
        Assert.Contains("KeyCompromise", result.Verification.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("broken")]
    [InlineData("html")]
    public async Task FetchAsync_ResponderAnswersWithoutOcsp_ReturnsServiceUnavailable(string path)
    {
        using var http = Host.CreateClient();
        var client = new OcspClient(http, TimeProvider.System);

        var result = await client.FetchAsync(new Uri(Host.BaseAddress, path), _good, _pki.IntermediateCertificate);

        Assert.Equal(TrustFailure.ServiceUnavailable, result.Verification.Failure);
        Assert.True(result.Response.IsEmpty);
    }

    [Fact]
    public async Task FetchAsync_NothingListening_ReturnsServiceUnavailable()
    {
        // Bind a port, then release it, so nothing is listening there.
        int port;
        using (var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
        }

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var client = new OcspClient(http, TimeProvider.System);

        var result = await client.FetchAsync(new Uri($"http://127.0.0.1:{port}/ocsp"), _good, _pki.IntermediateCertificate);

        Assert.Equal(TrustFailure.ServiceUnavailable, result.Verification.Failure);
    }

    [Fact]
    public async Task FetchAsync_CallerCancels_Throws()
    {
        using var http = Host.CreateClient();
        var client = new OcspClient(http, TimeProvider.System);
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => client.FetchAsync(OcspUri, _good, _pki.IntermediateCertificate, cancellationToken: cts.Token));
    }

    [Fact]
    public async Task OpenSslOcsp_ValidCertificateWithNonce_PrintsGoodAndVerifies()
    {
        using var dir = new TempDirectory();
        WritePems(dir, _good);

        var result = await OpenSsl.RunAsync(dir.Path, "ocsp", "-issuer", "intermediate.pem", "-cert", "leaf.pem", "-url", OcspUri.ToString(), "-CAfile", "chain.pem");

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains("Response verify OK", result.Output, StringComparison.Ordinal);
        Assert.Contains("leaf.pem: good", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenSslOcsp_RevokedCertificate_PrintsRevokedAndVerifies()
    {
        using var dir = new TempDirectory();
        WritePems(dir, _revoked);

        var result = await OpenSsl.RunAsync(dir.Path, "ocsp", "-issuer", "intermediate.pem", "-cert", "leaf.pem", "-url", OcspUri.ToString(), "-CAfile", "chain.pem", "-no_nonce");

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains("Response verify OK", result.Output, StringComparison.Ordinal);
        Assert.Contains("leaf.pem: revoked", result.Output, StringComparison.Ordinal);
        Assert.True(result.Output.Contains("Reason: keyCompromise", StringComparison.Ordinal), result.Output);
    }

    [Fact]
    public async Task OpenSslOcsp_RequestWithSha256CertId_PrintsGood()
    {
        using var dir = new TempDirectory();
        WritePems(dir, _good);

        var result = await OpenSsl.RunAsync(dir.Path, "ocsp", "-sha256", "-issuer", "intermediate.pem", "-cert", "leaf.pem", "-url", OcspUri.ToString(), "-CAfile", "chain.pem");

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains("Response verify OK", result.Output, StringComparison.Ordinal);
        Assert.Contains("leaf.pem: good", result.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Get_Base64RequestInPath_ReturnsVerifiableResponse(bool urlEncode)
    {
        using var http = Host.CreateClient();
        var base64 = Convert.ToBase64String(OcspRequestBuilder.Build(_good, _pki.IntermediateCertificate, hashAlgorithm: HashAlgorithmName.SHA1));
        var path = urlEncode ? Uri.EscapeDataString(base64) : base64;

        using var response = await http.GetAsync(new Uri($"{Host.BaseAddress}ocsp/{path}"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(OcspClient.ResponseMediaType, response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsByteArrayAsync();
        var result = OcspResponseVerifier.Verify(body, _good, _pki.IntermediateCertificate, DateTimeOffset.UtcNow);
        Assert.True(result.IsValid, result.ToString());
    }

    [Fact]
    public async Task Get_InvalidBase64_ReturnsMalformedRequestResponse()
    {
        using var http = Host.CreateClient();

        using var response = await http.GetAsync(new Uri($"{Host.BaseAddress}ocsp/not-base64!"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var parsed = OcspResponseVerifier.Parse(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(OcspResponseStatus.MalformedRequest, parsed.GetValueOrThrow().ResponseStatus);
    }

    [Fact]
    public async Task Post_OversizeBody_Returns413()
    {
        using var http = Host.CreateClient();
        using var content = OcspContent(new byte[OcspEndpointRouteBuilderExtensions.MaxRequestLength + 1]);

        using var response = await http.PostAsync(OcspUri, content);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Post_OversizeChunkedBody_Returns413()
    {
        using var http = Host.CreateClient();
        using var content = new StreamContent(new MemoryStream(new byte[OcspEndpointRouteBuilderExtensions.MaxRequestLength * 2]));
        content.Headers.ContentType = new MediaTypeHeaderValue(OcspClient.RequestMediaType);
        using var request = new HttpRequestMessage(HttpMethod.Post, OcspUri) { Content = content };
        request.Headers.TransferEncodingChunked = true;

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Post_GarbageBody_ReturnsMalformedRequestResponse()
    {
        using var http = Host.CreateClient();
        using var content = OcspContent("this is not DER"u8.ToArray());

        using var response = await http.PostAsync(OcspUri, content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(OcspClient.ResponseMediaType, response.Content.Headers.ContentType?.MediaType);
        var parsed = OcspResponseVerifier.Parse(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(OcspResponseStatus.MalformedRequest, parsed.GetValueOrThrow().ResponseStatus);
    }

    [Fact]
    public async Task Post_WrongContentType_Returns415()
    {
        using var http = Host.CreateClient();
        using var content = new ByteArrayContent(OcspRequestBuilder.Build(_good, _pki.IntermediateCertificate));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");

        using var response = await http.PostAsync(OcspUri, content);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    private void WritePems(TempDirectory dir, X509Certificate2 leaf)
    {
        _pki.WritePemFiles(dir.Path);
        TestPki.WriteCertificateAndKey(leaf, dir.File("leaf"));
    }

    private static ByteArrayContent OcspContent(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(OcspClient.RequestMediaType);
        return content;
    }

    private static string Hex(X509Certificate2 certificate) => Convert.ToHexString(certificate.SerialNumberBytes.Span);
}
