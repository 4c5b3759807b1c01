using System.Net;
using System.Net.Http.Headers;
using ExchangeGateway.Testing.Hosting;
using ExchangeGateway.Testing.Tools;
using ExchangeGateway.TrustServices.Hosting;

namespace ExchangeGateway.TrustServices.Tests.Hosting;

/// <summary>
/// The whole dev trust-services host as a new user meets it: started on a fresh data directory,
/// driven with nothing but OpenSSL and the PEM files it wrote.
/// </summary>
public sealed class TrustServicesHostInteropTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private readonly TempDirectory _work = new();
    private TrustServicesInstance _host = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _host = await TrustServicesInstance.StartAsync(_data.Path);
        _client = _host.CreateClient();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _host.DisposeAsync();
        _data.Dispose();
        _work.Dispose();
    }

    [Fact]
    public async Task OpenSslTsQuery_AnsweredByHostedTsa_VerifiesAgainstWrittenBundle()
    {
        await File.WriteAllTextAsync(_work.File("data.txt"), "checkpoint 42");
        var query = await OpenSsl.RunAsync(_work.Path, "ts", "-query", "-data", "data.txt", "-sha256", "-cert", "-out", "req.tsq");
        Assert.True(query.ExitCode == 0, query.Output);

        using var content = new ByteArrayContent(await File.ReadAllBytesAsync(_work.File("req.tsq")));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/timestamp-query");
        using var response = await _client.PostAsync("tsa", content);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/timestamp-reply", response.Content.Headers.ContentType?.MediaType);
        await File.WriteAllBytesAsync(_work.File("reply.tsr"), await response.Content.ReadAsByteArrayAsync());

        var verify = await OpenSsl.RunAsync(_work.Path, "ts", "-verify", "-in", "reply.tsr", "-data", "data.txt", "-CAfile", Path.Combine(_data.Path, DevTrustMaterial.BundlePem));

        Assert.True(verify.ExitCode == 0, verify.Output);
        Assert.Contains("Verification: OK", verify.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenSslOcsp_CertificateIssuedFromOpenSslCsr_GoodThenRevokedAfterRevocation()
    {
        var bundle = Path.Combine(_data.Path, DevTrustMaterial.BundlePem);
        var issuer = Path.Combine(_data.Path, DevTrustMaterial.IntermediatePem);
        Assert.Equal(0, (await OpenSsl.RunAsync(_work.Path, "ecparam", "-genkey", "-name", "prime256v1", "-noout", "-out", "member.key")).ExitCode);
        Assert.Equal(0, (await OpenSsl.RunAsync(_work.Path, "req", "-new", "-key", "member.key", "-subj", "/C=EE/O=GOV/CN=70000001", "-out", "member.csr")).ExitCode);
        using var issued = await _client.PostAsync("ca/certificates?profile=signing", new ByteArrayContent(await File.ReadAllBytesAsync(_work.File("member.csr"))));
        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        await File.WriteAllTextAsync(_work.File("member.pem"), await issued.Content.ReadAsStringAsync());
        var ocspUrl = new Uri(_host.BaseAddress, "ocsp").ToString();

        var good = await OpenSsl.RunAsync(_work.Path, "ocsp", "-issuer", issuer, "-cert", "member.pem", "-url", ocspUrl, "-CAfile", bundle);
        Assert.True(good.ExitCode == 0, good.Output);
        Assert.Contains("Response verify OK", good.Output, StringComparison.Ordinal);
        Assert.Contains("member.pem: good", good.Output, StringComparison.Ordinal);

        var serial = issued.Headers.GetValues("X-Certificate-Serial").Single();
        using var revoke = await _client.PostAsync($"ca/certificates/{serial}/revoke?reason=1", null);
        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);

        var revoked = await OpenSsl.RunAsync(_work.Path, "ocsp", "-issuer", issuer, "-cert", "member.pem", "-url", ocspUrl, "-CAfile", bundle);
        Assert.True(revoked.ExitCode == 0, revoked.Output);
        Assert.Contains("member.pem: revoked", revoked.Output, StringComparison.Ordinal);
        Assert.Contains("keyCompromise", revoked.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OcspForCertificateNeverIssued_AnswersUnknown()
    {
        using var stranger = ExchangeGateway.Testing.Pki.TestPki.Create(name: "Stranger");
        var cert = stranger.IssueSigning("EE", "GOV", "x");
        await File.WriteAllTextAsync(_work.File("stranger.pem"), cert.ExportCertificatePem());

        var result = await OpenSsl.RunAsync(_work.Path, "ocsp", "-issuer", Path.Combine(_data.Path, DevTrustMaterial.IntermediatePem), "-cert", "stranger.pem", "-url", new Uri(_host.BaseAddress, "ocsp").ToString(), "-CAfile", Path.Combine(_data.Path, DevTrustMaterial.BundlePem));

        Assert.Contains("stranger.pem: unknown", result.Output, StringComparison.Ordinal);
    }
}
