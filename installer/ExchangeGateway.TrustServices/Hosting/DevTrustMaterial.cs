using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ExchangeGateway.TrustServices.Ca;

namespace ExchangeGateway.TrustServices.Hosting;

/// <summary>
/// The keys and certificates of the dev trust services, created in the data directory on first start
/// and loaded on every later one. Public certificates are written as PEM beside the database so other
/// tools can trust them (<c>ca-bundle.pem</c>, <c>tsa.pem</c>, ...); private keys go to
/// <c>private/</c> with owner-only permissions. Development only: the keys are not encrypted.
/// </summary>
public sealed class DevTrustMaterial : IDisposable
{
    /// <summary>File names of the public material, relative to the data directory.</summary>
    public const string RootPem = "ca-root.pem";

    /// <summary>The issuing CA certificate.</summary>
    public const string IntermediatePem = "ca-intermediate.pem";

    /// <summary>Root and issuing CA, for <c>-CAfile</c>.</summary>
    public const string BundlePem = "ca-bundle.pem";

    /// <summary>The TSA certificate.</summary>
    public const string TsaPem = "tsa.pem";

    /// <summary>The OCSP responder certificate.</summary>
    public const string OcspPem = "ocsp-responder.pem";

    private DevTrustMaterial(CertificateAuthority root, CertificateAuthority intermediate, X509Certificate2 ocsp, X509Certificate2 tsa, bool created)
    {
        Root = root;
        Intermediate = intermediate;
        OcspResponder = ocsp;
        Tsa = tsa;
        Created = created;
    }

    /// <summary>The root CA.</summary>
    public CertificateAuthority Root { get; }

    /// <summary>The issuing CA.</summary>
    public CertificateAuthority Intermediate { get; }

    /// <summary>The delegated OCSP responder certificate, with key.</summary>
    public X509Certificate2 OcspResponder { get; }

    /// <summary>The TSA certificate, with key.</summary>
    public X509Certificate2 Tsa { get; }

    /// <summary>True when this start created the material.</summary>
    public bool Created { get; }

    /// <summary>Loads the material from <paramref name="directory"/>, creating it (and recording issued certificates in <paramref name="store"/>) on first start.</summary>
    public static DevTrustMaterial LoadOrCreate(string directory, TimeProvider time, TrustServicesOptions options, IssuedCertificateStore store)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(store);
        Directory.CreateDirectory(directory);
        var privateDir = Path.Combine(directory, "private");
        if (File.Exists(Path.Combine(privateDir, "intermediate.key")))
        {
            var root = CertificateAuthority.Load(LoadWithKey(directory, RootPem, privateDir, "root.key"), time);
            var intermediate = CertificateAuthority.Load(LoadWithKey(directory, IntermediatePem, privateDir, "intermediate.key"), time, options.OcspUrl, options.CaIssuersUrl);
            return new DevTrustMaterial(root, intermediate, LoadWithKey(directory, OcspPem, privateDir, "ocsp.key"), LoadWithKey(directory, TsaPem, privateDir, "tsa.key"), created: false);
        }

        CreatePrivateDirectory(privateDir);
        var newRoot = CertificateAuthority.CreateRoot("CN=ExchangeGateway Dev Root CA, O=ExchangeGateway Development", time, TimeSpan.FromDays(3650));
        var newIntermediate = newRoot.CreateIntermediate("CN=ExchangeGateway Dev Issuing CA, O=ExchangeGateway Development", TimeSpan.FromDays(1825), options.OcspUrl, options.CaIssuersUrl);
        var ocsp = newIntermediate.IssueWithNewKey("CN=ExchangeGateway Dev OCSP Responder, O=ExchangeGateway Development", CertificateProfile.OcspResponder, options: new IssueOptions { Validity = TimeSpan.FromDays(825) });
        var tsa = newIntermediate.IssueWithNewKey("CN=ExchangeGateway Dev TSA, O=ExchangeGateway Development", CertificateProfile.TimeStamping, options: new IssueOptions { Validity = TimeSpan.FromDays(825) });
        store.Add(ocsp, CertificateProfile.OcspResponder);
        store.Add(tsa, CertificateProfile.TimeStamping);

        WriteKey(newRoot.Certificate, Path.Combine(privateDir, "root.key"));
        WriteKey(newIntermediate.Certificate, Path.Combine(privateDir, "intermediate.key"));
        WriteKey(ocsp, Path.Combine(privateDir, "ocsp.key"));
        WriteKey(tsa, Path.Combine(privateDir, "tsa.key"));
        WriteAtomically(Path.Combine(directory, RootPem), newRoot.Certificate.ExportCertificatePem() + "\n");
        WriteAtomically(Path.Combine(directory, IntermediatePem), newIntermediate.Certificate.ExportCertificatePem() + "\n");
        WriteAtomically(Path.Combine(directory, BundlePem), newRoot.Certificate.ExportCertificatePem() + "\n" + newIntermediate.Certificate.ExportCertificatePem() + "\n");
        WriteAtomically(Path.Combine(directory, OcspPem), ocsp.ExportCertificatePem() + "\n");
        WriteAtomically(Path.Combine(directory, TsaPem), tsa.ExportCertificatePem() + "\n");
        return new DevTrustMaterial(newRoot, newIntermediate, ocsp, tsa, created: true);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Root.Dispose();
        Intermediate.Dispose();
        OcspResponder.Dispose();
        Tsa.Dispose();
    }

    private static X509Certificate2 LoadWithKey(string directory, string certFile, string privateDir, string keyFile)
    {
        using var cert = X509Certificate2.CreateFromPemFile(Path.Combine(directory, certFile), Path.Combine(privateDir, keyFile));

        // PEM-loaded keys are ephemeral on some platforms; a PKCS#12 round trip makes them usable for signing everywhere.
        return X509CertificateLoader.LoadPkcs12(cert.Export(X509ContentType.Pkcs12), null);
    }

    private static void WriteKey(X509Certificate2 certificate, string path)
    {
        using AsymmetricAlgorithm key = (AsymmetricAlgorithm?)certificate.GetECDsaPrivateKey() ?? certificate.GetRSAPrivateKey()
            ?? throw new InvalidOperationException("certificate has no private key");
        WriteAtomically(path, key.ExportPkcs8PrivateKeyPem() + "\n", UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    private static void CreatePrivateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    private static void WriteAtomically(string path, string text, UnixFileMode? mode = null)
    {
        var temp = path + ".tmp";
        var fileOptions = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (mode is { } m && !OperatingSystem.IsWindows())
        {
            fileOptions.UnixCreateMode = m;
        }

        using (var stream = new FileStream(temp, fileOptions))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(text);
            writer.Flush();
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
    }
}
