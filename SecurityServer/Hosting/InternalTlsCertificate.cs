using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ExchangeGateway.SecurityServer.Hosting;

/// <summary>
/// The self-signed certificate of the client proxy's HTTPS port (X-Road's "internal TLS certificate"):
/// made on first start, kept in the data directory (key mode 0600); local IS pin it.
/// </summary>
internal static class InternalTlsCertificate
{
    public static X509Certificate2 LoadOrCreate(string dataDirectory, TimeProvider time)
    {
        var certPath = Path.Combine(dataDirectory, "internal-tls.cert.pem");
        var keyPath = Path.Combine(dataDirectory, "internal-tls.key.pem");
        if (!File.Exists(certPath) || !File.Exists(keyPath))
        {
            Directory.CreateDirectory(dataDirectory);
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest("CN=ExchangeGateway security server (internal)", key, HashAlgorithmName.SHA256);
            var san = new SubjectAlternativeNameBuilder();
            san.AddDnsName("localhost");
            san.AddIpAddress(System.Net.IPAddress.Loopback);
            request.CertificateExtensions.Add(san.Build());
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
            var now = time.GetUtcNow();
            using var cert = request.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(5));
            File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(keyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            File.WriteAllText(certPath, cert.ExportCertificatePem());
        }

        // A PKCS#12 round trip gives a key SslStream can use on every platform.
        using var loaded = X509Certificate2.CreateFromPemFile(certPath, keyPath);
        return X509CertificateLoader.LoadPkcs12(loaded.Export(X509ContentType.Pkcs12), null);
    }
}
