using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using ExchangeGateway.Common.Crypto.X509;
using ExchangeGateway.Testing.Hosting;
using ExchangeGateway.Testing.Tools;
using ExchangeGateway.TrustServices.Hosting;

namespace ExchangeGateway.TrustServices.Tests.Ca;

public sealed class CertificateAuthorityHostTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private TrustServicesInstance _host = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _host = await TrustServicesInstance.StartAsync(_dir.Path);
        _client = _host.CreateClient();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _host.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public void FirstStart_WritesPublicPemsAndOwnerOnlyKeys()
    {
        foreach (var file in new[] { DevTrustMaterial.RootPem, DevTrustMaterial.IntermediatePem, DevTrustMaterial.BundlePem, DevTrustMaterial.TsaPem, DevTrustMaterial.OcspPem })
        {
            Assert.True(File.Exists(_dir.File(file)), file);
        }

        foreach (var key in Directory.GetFiles(_dir.File("private")))
        {
            if (OperatingSystem.IsWindows())
            {
                break;
            }

            var mode = File.GetUnixFileMode(key);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, mode);
        }

        var bundle = new X509Certificate2Collection();
        bundle.ImportFromPemFile(_dir.File(DevTrustMaterial.BundlePem));
        Assert.Equal(2, bundle.Count);
    }

    [Fact]
    public async Task SecondStart_LoadsTheSameCa()
    {
        var firstRoot = await File.ReadAllTextAsync(_dir.File(DevTrustMaterial.RootPem));
        await _host.DisposeAsync();

        _host = await TrustServicesInstance.StartAsync(_dir.Path);
        using var client = _host.CreateClient();

        Assert.Equal(firstRoot, await client.GetStringAsync("ca/root.pem"));
        Assert.Equal(firstRoot, await File.ReadAllTextAsync(_dir.File(DevTrustMaterial.RootPem)));
    }

    [Theory]
    [InlineData("signing", CertificatePurpose.Signing)]
    [InlineData("authentication", CertificatePurpose.Authentication)]
    public async Task IssueFromCsr_ReturnsCertificateValidForItsPurpose(string profile, CertificatePurpose purpose)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var csr = new CertificateRequest("C=EE, O=GOV, CN=70000001", key, HashAlgorithmName.SHA256).CreateSigningRequestPem();

        using var response = await _client.PostAsync($"ca/certificates?profile={profile}", new StringContent(csr));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        using var cert = X509Certificate2.CreateFromPem(await response.Content.ReadAsStringAsync());
        Assert.Equal("C=EE, O=GOV, CN=70000001", cert.Subject);
        Assert.Equal(response.Headers.GetValues("X-Certificate-Serial").Single(), cert.SerialNumber);
        var validator = BundleValidator();
        var result = validator.Validate(cert, purpose, DateTimeOffset.UtcNow);
        Assert.True(result.IsValid, result.ToString());
        var aia = cert.Extensions.OfType<X509AuthorityInformationAccessExtension>().Single();
        Assert.Equal(new Uri(_host.BaseAddress, "ocsp").ToString(), aia.EnumerateOcspUris().Single());
    }

    [Fact]
    public async Task IssueFromCsr_DerEncodedRequest_IsAccepted()
    {
        using var key = RSA.Create(2048);
        var der = new CertificateRequest("CN=der", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1).CreateSigningRequest();
        using var content = new ByteArrayContent(der);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/pkcs10");

        using var response = await _client.PostAsync("ca/certificates?profile=signing", content);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task IssueFromCsr_TamperedSignature_RejectedWithInvalidCsr()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var der = new CertificateRequest("CN=victim", key, HashAlgorithmName.SHA256).CreateSigningRequest();
        der[^3] ^= 0x01;

        using var response = await _client.PostAsync("ca/certificates?profile=signing", new ByteArrayContent(der));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "ca.invalid_csr");
        Assert.Equal(2, await CountIssuedAsync()); // only the responder and TSA certificates
    }

    [Fact]
    public async Task IssueFromCsr_Rsa1024Key_RejectedWithInvalidCsr()
    {
        using var key = RSA.Create(1024);
        var csr = new CertificateRequest("CN=weak", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1).CreateSigningRequestPem();

        using var response = await _client.PostAsync("ca/certificates?profile=signing", new StringContent(csr));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "ca.invalid_csr");
    }

    [Fact]
    public async Task IssueFromCsr_UnknownProfile_Rejected()
    {
        using var response = await _client.PostAsync("ca/certificates?profile=ca", new StringContent("x"));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "ca.unknown_profile");
    }

    [Fact]
    public async Task IssueFromCsr_OversizedBody_RejectedWith413()
    {
        using var response = await _client.PostAsync("ca/certificates?profile=signing", new ByteArrayContent(new byte[20 * 1024]));

        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "ca.request_too_large");
    }

    [Fact]
    public async Task Revoke_IssuedCertificate_IsListedAsRevoked()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var issued = await _client.PostAsync("ca/certificates?profile=signing", new StringContent(new CertificateRequest("CN=r", key, HashAlgorithmName.SHA256).CreateSigningRequestPem()));
        var serial = issued.Headers.GetValues("X-Certificate-Serial").Single();

        using var revoke = await _client.PostAsync($"ca/certificates/{serial}/revoke?reason=1", null);

        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        using var json = JsonDocument.Parse(await revoke.Content.ReadAsStringAsync());
        Assert.Equal("revoked", json.RootElement.GetProperty("status").GetString());
        Assert.Equal(1, json.RootElement.GetProperty("revocationReason").GetInt32());
    }

    [Fact]
    public async Task Revoke_UnknownSerial_Returns404()
    {
        using var response = await _client.PostAsync("ca/certificates/0102030405/revoke", null);

        await AssertProblemAsync(response, HttpStatusCode.NotFound, "ca.not_found");
    }

    private CertificateValidator BundleValidator()
    {
        var bundle = new X509Certificate2Collection();
        bundle.ImportFromPemFile(_dir.File(DevTrustMaterial.BundlePem));
        var root = bundle.Cast<X509Certificate2>().Single(c => c.Subject == c.Issuer);
        var intermediate = bundle.Cast<X509Certificate2>().Single(c => c.Subject != c.Issuer);
        return new CertificateValidator([root], [intermediate]);
    }

    private async Task<int> CountIssuedAsync()
    {
        using var json = JsonDocument.Parse(await _client.GetStringAsync("ca/certificates"));
        return json.RootElement.GetArrayLength();
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(code, json.RootElement.GetProperty("code").GetString());
    }
}
