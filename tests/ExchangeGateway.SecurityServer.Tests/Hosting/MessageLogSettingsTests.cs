using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ExchangeGateway.SecurityServer.Hosting;
using ExchangeGateway.Testing.Tools;
using Microsoft.Extensions.Options;

namespace ExchangeGateway.SecurityServer.Tests.Hosting;

/// <summary><c>SecurityServer:MessageLog</c>: bad archive and retention settings stop start-up with the exact problem.</summary>
public sealed class MessageLogSettingsTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Problem_Defaults_NoneAndNothingEnabled()
    {
        var settings = new MessageLogSettings();

        Assert.Null(settings.Problem());
        Assert.False(settings.Enabled);
        Assert.Equal(TimeSpan.FromHours(1), settings.RetentionInterval);
        Assert.Equal(Path.Combine("/data", "archives"), settings.ArchiveDirectoryIn("/data"));
    }

    [Fact]
    public void Problem_EachBadSetting_NamedExactly()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        File.WriteAllText(_dir.File("ec.pem"), new CertificateRequest("CN=EC", ec, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1)).ExportCertificatePem());
        File.WriteAllText(_dir.File("garbage.pem"), "not a certificate");

        Assert.Equal("SecurityServer:MessageLog:ArchiveAfter must be positive", new MessageLogSettings { ArchiveAfter = TimeSpan.Zero }.Problem());
        Assert.Equal("SecurityServer:MessageLog:BodyRetention must be positive", new MessageLogSettings { BodyRetention = TimeSpan.FromDays(-1) }.Problem());
        Assert.Equal("SecurityServer:MessageLog:RetentionInterval must be positive", new MessageLogSettings { RetentionInterval = TimeSpan.Zero }.Problem());
        Assert.Equal("SecurityServer:MessageLog:ArchiveEncryptionCertificates: CN=EC has no RSA key (CMS key transport needs RSA)", new MessageLogSettings { ArchiveEncryptionCertificates = [_dir.File("ec.pem")] }.Problem());
        Assert.StartsWith("SecurityServer:MessageLog:ArchiveEncryptionCertificates: ", new MessageLogSettings { ArchiveEncryptionCertificates = [_dir.File("garbage.pem")] }.Problem(), StringComparison.Ordinal);
        Assert.StartsWith("SecurityServer:MessageLog:ArchiveEncryptionCertificates: ", new MessageLogSettings { ArchiveEncryptionCertificates = [_dir.File("missing.pem")] }.Problem(), StringComparison.Ordinal);
    }

    [Fact]
    public void LoadEncryptionCertificates_PemWithItsKey_ReadsArchivedBodiesToo()
    {
        using var rsa = RSA.Create(2048);
        using var certificate = new CertificateRequest("CN=Escrow", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1).CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1));
        File.WriteAllText(_dir.File("public.pem"), certificate.ExportCertificatePem());
        File.WriteAllText(_dir.File("both.pem"), certificate.ExportCertificatePem() + "\n" + rsa.ExportPkcs8PrivateKeyPem());
        var settings = new MessageLogSettings { ArchiveEncryptionCertificates = [_dir.File("public.pem"), _dir.File("both.pem")] };

        var loaded = settings.LoadEncryptionCertificates();

        Assert.Null(settings.Problem());
        Assert.Equal([false, true], loaded.Select(c => c.HasPrivateKey));
        Assert.All(loaded, c => Assert.Equal(certificate.Thumbprint, c.Thumbprint));
        loaded.ForEach(c => c.Dispose());
    }

    [Fact]
    public void Build_InvalidMessageLogSettings_StopsWithTheProblem()
    {
        File.WriteAllText(_dir.File("anchor.xml"), "only its existence is checked before this");

        // The host resolves its options while it is built, so a bad setting stops it there.
        var failed = Assert.Throws<OptionsValidationException>(() => SecurityServerHost.Build(
        [
            "--urls=http://127.0.0.1:0", $"--SecurityServer:AnchorPath={_dir.File("anchor.xml")}", $"--SecurityServer:DataDirectory={_dir.File("ss")}",
            "--SecurityServer:MessageLog:BodyRetention=-1.00:00:00", "--Logging:LogLevel:Default=None",
        ]));

        Assert.Equal(["SecurityServer:MessageLog:BodyRetention must be positive"], failed.Failures);
    }
}
