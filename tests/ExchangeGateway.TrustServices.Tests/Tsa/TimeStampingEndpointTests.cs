using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using ExchangeGateway.Common.Crypto.TimeStamping;
using ExchangeGateway.Common.Results;
using ExchangeGateway.Testing.Hosting;
using ExchangeGateway.Testing.Pki;
using ExchangeGateway.Testing.Tools;
using ExchangeGateway.TrustServices.Tsa;

namespace ExchangeGateway.TrustServices.Tests.Tsa;

/// <summary>
/// The TSA on a real Kestrel host on loopback, exercised by our client and by OpenSSL. These use the
/// system clock because OpenSSL verifies against it.
/// </summary>
public sealed class TimeStampingEndpointTests : IAsyncLifetime, IDisposable
{
    private const string Path = "tsa";

    private readonly TestPki _pki = TestPki.Create();
    private readonly TempDirectory _dir = new();
    private LoopbackHost? _host;

    private LoopbackHost Host => _host ?? throw new InvalidOperationException("Host not started.");

    public async Task InitializeAsync()
    {
        var authority = new TimeStampAuthority(_pki.Tsa, TimeProvider.System);
        _host = await LoopbackHost.StartAsync(null, app => app.MapTimeStamping("/" + Path, authority));
        _pki.WritePemFiles(_dir.Path);
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }

    public void Dispose()
    {
        _dir.Dispose();
        _pki.Dispose();
    }

    [Fact]
    public async Task Post_OpenSslQuery_ReplyVerifiesWithOpenSsl()
    {
        await File.WriteAllTextAsync(_dir.File("data.txt"), "checkpoint 42\n");
        await RunOpenSslAsync("ts", "-query", "-data", "data.txt", "-sha256", "-cert", "-out", "req.tsq");

        using var http = Host.CreateClient();
        using var response = await PostAsync(http, await File.ReadAllBytesAsync(_dir.File("req.tsq")));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(TimeStampMediaTypes.Reply, response.Content.Headers.ContentType?.MediaType);
        await File.WriteAllBytesAsync(_dir.File("reply.tsr"), await response.Content.ReadAsByteArrayAsync());

        var withChain = await RunOpenSslAsync("ts", "-verify", "-in", "reply.tsr", "-data", "data.txt", "-CAfile", "chain.pem");
        var withUntrusted = await RunOpenSslAsync("ts", "-verify", "-in", "reply.tsr", "-queryfile", "req.tsq", "-CAfile", "root.pem", "-untrusted", "intermediate.pem");

        Assert.Contains("Verification: OK", withChain.Output, StringComparison.Ordinal);
        Assert.Contains("Verification: OK", withUntrusted.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sha256")]
    [InlineData(null)]
    public async Task Verify_OpenSslTsaReplyAndToken_Accepted(string? essCertIdAlgorithm)
    {
        // ess_cert_id_alg = sha256 gives the RFC 5816 v2 attribute; without it OpenSSL writes the v1 (SHA-1) one.
        await File.WriteAllTextAsync(_dir.File("data.txt"), "checkpoint 43\n");
        await File.WriteAllTextAsync(_dir.File("tsaserial"), "01\n");
        await File.WriteAllTextAsync(_dir.File("ts.cnf"), TsaConfig(_dir.Path, essCertIdAlgorithm));
        await RunOpenSslAsync("ts", "-query", "-data", "data.txt", "-sha256", "-cert", "-out", "req.tsq");
        await RunOpenSslAsync("ts", "-reply", "-queryfile", "req.tsq", "-signer", "tsa.pem", "-inkey", "tsa.key", "-config", "ts.cnf", "-out", "reply.tsr");
        await RunOpenSslAsync("ts", "-reply", "-queryfile", "req.tsq", "-signer", "tsa.pem", "-inkey", "tsa.key", "-config", "ts.cnf", "-token_out", "-out", "token.tst");

        var hash = SHA256.HashData(await File.ReadAllBytesAsync(_dir.File("data.txt")));
        Assert.True(Rfc3161TimestampRequest.TryDecode(await File.ReadAllBytesAsync(_dir.File("req.tsq")), out var query, out _));
        var verifier = new TimeStampVerifier();
        var trust = new TimeStampTrust(_pki.CreateValidator());

        var reply = verifier.Verify(await File.ReadAllBytesAsync(_dir.File("reply.tsr")), hash, HashAlgorithmName.SHA256, trust, query.GetNonce()!.Value.Span);
        var token = verifier.Verify(await File.ReadAllBytesAsync(_dir.File("token.tst")), hash, HashAlgorithmName.SHA256, trust with { ApprovedTsaCertificates = [_pki.Tsa] });

        Assert.True(reply.IsValid, reply.ToString());
        Assert.True(token.IsValid, token.ToString());
        Assert.Equal("1.2.3.4.1", reply.Value.PolicyOid);
        Assert.Equal(TimeSpan.FromMicroseconds(1_500_100), reply.Value.Accuracy);
        Assert.Equal(_pki.Tsa.Thumbprint, token.Value.TsaCertificate.Thumbprint);
    }

    [Fact]
    public async Task RequestAsync_AgainstHostedTsa_ReturnsVerifiedToken()
    {
        using var http = new HttpClient();
        var client = new TimeStampClient(http, new TimeStampVerifier(), new TimeStampClientOptions { Endpoint = new Uri(Host.BaseAddress, Path) });
        var hash = SHA256.HashData("checkpoint 44"u8);
        var trust = new TimeStampTrust(_pki.CreateValidator(), [_pki.Tsa]);

        var result = await client.RequestAsync(hash, HashAlgorithmName.SHA256, trust);

        Assert.True(result.IsValid, result.ToString());
        Assert.Equal(_pki.Tsa.Thumbprint, result.Value.Info.TsaCertificate.Thumbprint);
        var again = new TimeStampVerifier().Verify(result.Value.Token, hash, HashAlgorithmName.SHA256, trust);
        Assert.True(again.IsValid, again.ToString());
    }

    [Fact]
    public async Task Post_WrongContentType_Returns415()
    {
        using var http = Host.CreateClient();
        using var content = new ByteArrayContent([0x30, 0x00]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");

        using var response = await http.PostAsync(Path, content);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task Post_OversizeBodyWithLength_Returns413()
    {
        using var http = Host.CreateClient();

        using var response = await PostAsync(http, new byte[TimeStampingEndpointRouteBuilderExtensions.MaxRequestBytes + 1]);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Post_OversizeChunkedBody_Returns413()
    {
        using var http = Host.CreateClient();
        using var content = new StreamContent(new MemoryStream(new byte[TimeStampingEndpointRouteBuilderExtensions.MaxRequestBytes * 2]));
        content.Headers.ContentType = new MediaTypeHeaderValue(TimeStampMediaTypes.Query);
        using var message = new HttpRequestMessage(HttpMethod.Post, Path) { Content = content };
        message.Headers.TransferEncodingChunked = true;

        using var response = await http.SendAsync(message);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Post_Garbage_ReturnsRejectionReply()
    {
        using var http = Host.CreateClient();

        using var response = await PostAsync(http, "garbage"u8.ToArray());
        var result = new TimeStampVerifier().Verify(await response.Content.ReadAsByteArrayAsync(), new byte[32], HashAlgorithmName.SHA256, new TimeStampTrust(_pki.CreateValidator()));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(TimeStampMediaTypes.Reply, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(TrustFailure.TimeStampRejected, result.Failure);
        Assert.Contains("BadDataFormat", result.Message, StringComparison.Ordinal);
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient http, byte[] body)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(TimeStampMediaTypes.Query);
        return await http.PostAsync(Path, content);
    }

    private async Task<OpenSsl.Result> RunOpenSslAsync(params string[] arguments)
    {
        var result = await OpenSsl.RunAsync(_dir.Path, arguments);
        Assert.True(result.ExitCode == 0, $"openssl {string.Join(' ', arguments)} failed: {result.Output}");
        return result;
    }

    private static string TsaConfig(string dir, string? essCertIdAlgorithm) => $"""
        [ tsa ]
        default_tsa = tsa_config1

        [ tsa_config1 ]
        dir = {dir}
        serial = $dir/tsaserial
        crypto_device = builtin
        signer_cert = $dir/tsa.pem
        signer_key = $dir/tsa.key
        certs = $dir/intermediate.pem
        signer_digest = sha256
        default_policy = 1.2.3.4.1
        other_policies = 1.2.3.4.5
        digests = sha256, sha384, sha512
        accuracy = secs:1, millisecs:500, microsecs:100
        clock_precision_digits = 3
        ordering = yes
        tsa_name = yes
        ess_cert_id_chain = no
        {(essCertIdAlgorithm is null ? string.Empty : "ess_cert_id_alg = " + essCertIdAlgorithm)}
        """;
}
