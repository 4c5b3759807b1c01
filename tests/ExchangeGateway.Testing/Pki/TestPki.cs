using System.Security.Cryptography.X509Certificates;
using ExchangeGateway.Common.Crypto.X509;
using ExchangeGateway.TrustServices.Ca;

namespace ExchangeGateway.Testing.Pki;

/// <summary>
/// An in-code PKI for tests (HOUSE-STYLE habit 15): root, issuing CA, delegated OCSP responder, TSA,
/// and member certificates on demand. Nothing is committed to the repository; every key is made at
/// test time. ECDSA P-256 keeps it fast.
/// </summary>
public sealed class TestPki : IDisposable
{
    private readonly List<IDisposable> _owned = [];

    private TestPki(TimeProvider time, string name, string? ocspUrl)
    {
        Time = time;
        Root = CertificateAuthority.CreateRoot($"CN={name} Root CA, O=ExchangeGateway Test", time, TimeSpan.FromDays(3650));
        Intermediate = Root.CreateIntermediate($"CN={name} Issuing CA, O=ExchangeGateway Test", TimeSpan.FromDays(1825), ocspUrl);
        OcspResponder = Intermediate.IssueWithNewKey($"CN={name} OCSP Responder, O=ExchangeGateway Test", CertificateProfile.OcspResponder);
        Tsa = Intermediate.IssueWithNewKey($"CN={name} TSA, O=ExchangeGateway Test", CertificateProfile.TimeStamping);
        _owned.Add(Root);
        _owned.Add(Intermediate);
        _owned.Add(OcspResponder);
        _owned.Add(Tsa);
    }

    /// <summary>The clock the PKI issues against.</summary>
    public TimeProvider Time { get; }

    /// <summary>The self-signed root (the trust anchor).</summary>
    public CertificateAuthority Root { get; }

    /// <summary>The issuing CA for every end-entity certificate.</summary>
    public CertificateAuthority Intermediate { get; }

    /// <summary>The delegated OCSP responder certificate (with key), issued by <see cref="Intermediate"/>.</summary>
    public X509Certificate2 OcspResponder { get; }

    /// <summary>The TSA certificate (with key), issued by <see cref="Intermediate"/>.</summary>
    public X509Certificate2 Tsa { get; }

    /// <summary>The root certificate alone, as a trust anchor.</summary>
    public X509Certificate2 RootCertificate => Root.Certificate;

    /// <summary>The issuing CA certificate.</summary>
    public X509Certificate2 IntermediateCertificate => Intermediate.Certificate;

    /// <summary>Creates a PKI.</summary>
    /// <param name="time">The clock; the system clock by default.</param>
    /// <param name="name">Distinguishes two PKIs (e.g. an unknown CA) in subjects.</param>
    /// <param name="ocspUrl">OCSP URL to embed in issued certificates.</param>
    public static TestPki Create(TimeProvider? time = null, string name = "Test", string? ocspUrl = null) =>
        new(time ?? TimeProvider.System, name, ocspUrl);

    /// <summary>A validator trusting this PKI's root, with the issuing CA as intermediate.</summary>
    public CertificateValidator CreateValidator(TimeSpan? clockSkew = null) =>
        new([RootCertificate], [IntermediateCertificate], clockSkew);

    /// <summary>Issues a certificate with a new key; the result carries its private key and is disposed with the PKI.</summary>
    public X509Certificate2 Issue(string subject, CertificateProfile profile, KeyKind key = KeyKind.EcdsaP256, IssueOptions? options = null)
    {
        var cert = Intermediate.IssueWithNewKey(subject, profile, key, options);
        lock (_owned)
        {
            _owned.Add(cert);
        }

        return cert;
    }

    /// <summary>A member's signing certificate: subject carries the member code as CN and the instance and class.</summary>
    public X509Certificate2 IssueSigning(string instance, string memberClass, string memberCode, KeyKind key = KeyKind.EcdsaP256, IssueOptions? options = null) =>
        Issue(MemberSubject(instance, memberClass, memberCode), CertificateProfile.Signing, key, options);

    /// <summary>A security server's authentication certificate.</summary>
    public X509Certificate2 IssueAuthentication(string instance, string memberClass, string memberCode, string serverCode, KeyKind key = KeyKind.EcdsaP256, IssueOptions? options = null) =>
        Issue($"C={instance}, O={memberClass}, OU={serverCode}, CN={memberCode}", CertificateProfile.Authentication, key, options);

    /// <summary>The subject used for member certificates in tests.</summary>
    public static string MemberSubject(string instance, string memberClass, string memberCode) =>
        $"C={instance}, O={memberClass}, CN={memberCode}";

    /// <summary>Writes PEM files for OpenSSL: root.pem, intermediate.pem, chain.pem (both), ocsp.pem/.key, tsa.pem/.key.</summary>
    public void WritePemFiles(string directory)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "root.pem"), RootCertificate.ExportCertificatePem());
        File.WriteAllText(Path.Combine(directory, "intermediate.pem"), IntermediateCertificate.ExportCertificatePem());
        File.WriteAllText(Path.Combine(directory, "chain.pem"), RootCertificate.ExportCertificatePem() + "\n" + IntermediateCertificate.ExportCertificatePem() + "\n");
        WriteCertificateAndKey(OcspResponder, Path.Combine(directory, "ocsp"));
        WriteCertificateAndKey(Tsa, Path.Combine(directory, "tsa"));
    }

    /// <summary>Writes <c>{basePath}.pem</c> and <c>{basePath}.key</c> (PKCS#8) for a certificate with a key.</summary>
    public static void WriteCertificateAndKey(X509Certificate2 certificate, string basePath)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        File.WriteAllText(basePath + ".pem", certificate.ExportCertificatePem());
        var key = (System.Security.Cryptography.AsymmetricAlgorithm?)certificate.GetECDsaPrivateKey()
            ?? certificate.GetRSAPrivateKey()
            ?? throw new InvalidOperationException("The certificate has no private key.");
        using (key)
        {
            File.WriteAllText(basePath + ".key", key.ExportPkcs8PrivateKeyPem());
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_owned)
        {
            foreach (var d in _owned)
            {
                d.Dispose();
            }

            _owned.Clear();
        }
    }
}
