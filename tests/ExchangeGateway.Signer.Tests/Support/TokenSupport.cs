using System.Security.Cryptography.X509Certificates;
using System.Text;
using ExchangeGateway.Signer.Enrolment;
using ExchangeGateway.Signer.Keys;
using ExchangeGateway.Signer.Tokens;
using ExchangeGateway.Testing.Pki;
using ExchangeGateway.TrustServices.Ca;

namespace ExchangeGateway.Signer.Tests.Support;

/// <summary>Software tokens for tests: cheap key derivation (1,000 iterations), a valid PIN, and certificates from a <see cref="TestPki"/>.</summary>
internal static class TokenSupport
{
    /// <summary>Meets the default policy (15 characters, 4 classes).</summary>
    public const string Pin = "Correct-Horse-1";

    /// <summary>Another PIN meeting the default policy.</summary>
    public const string OtherPin = "Battery-Staple-2";

    public static SoftwareTokenOptions Options(string directory, PinPolicy? policy = null) =>
        new() { Directory = directory, Pbkdf2Iterations = 1_000, Policy = policy ?? new PinPolicy() };

    /// <summary>A new token with <see cref="Pin"/>, logged in.</summary>
    public static SoftwareToken Initialised(string directory, TimeProvider time, PinPolicy? policy = null)
    {
        var token = new SoftwareToken(Options(directory, policy), time);
        var result = token.Initialise(Pin);
        Assert.True(result.Success, result.Message);
        return token;
    }

    public static KeyInfo Generate(SoftwareToken token, KeyPurpose usage, KeyAlgorithm algorithm = KeyAlgorithm.EcdsaP256)
    {
        var result = token.GenerateKey(usage, usage == KeyPurpose.Authentication ? "auth" : "sign", usage == KeyPurpose.Signing ? TestIdentities.Owner : null, algorithm);
        Assert.True(result.Success, result.Message);
        return result.Value;
    }

    /// <summary>Has the PKI certify a token key from a CSR the token makes (the caller disposes the certificate).</summary>
    public static X509Certificate2 Issue(TestPki pki, SoftwareToken token, KeyInfo key, CertificateProfile? profile = null, X500DistinguishedName? subject = null, IssueOptions? options = null)
    {
        subject ??= key.Usage == KeyPurpose.Authentication ? CertificateSubjects.Authentication(TestIdentities.Server) : CertificateSubjects.Signing(key.Member!);
        var csr = token.CreateCsr(key.Id, subject);
        Assert.True(csr.Success, csr.Message);
        return pki.Intermediate.IssueFromCsr(csr.Value.Der.Span, profile ?? (key.Usage == KeyPurpose.Authentication ? CertificateProfile.Authentication : CertificateProfile.Signing), options);
    }

    /// <summary>The leaf, then the intermediate and the root, as one PEM bundle.</summary>
    public static byte[] Bundle(TestPki pki, X509Certificate2 leaf) =>
        Encoding.ASCII.GetBytes(leaf.ExportCertificatePem() + "\n" + pki.IntermediateCertificate.ExportCertificatePem() + "\n" + pki.RootCertificate.ExportCertificatePem() + "\n");

    /// <summary>Issues and imports a certificate for the key; returns its info.</summary>
    public static CertificateInfo Certify(TestPki pki, SoftwareToken token, KeyInfo key, IssueOptions? options = null)
    {
        using var certificate = Issue(pki, token, key, options: options);
        var imported = token.ImportCertificate(Bundle(pki, certificate));
        Assert.True(imported.Success, imported.Message);
        return imported.Value;
    }

    /// <summary>Every file under <paramref name="directory"/> with its bytes.</summary>
    public static SortedDictionary<string, byte[]> Snapshot(string directory) =>
        new(Directory.GetFiles(directory, "*", SearchOption.AllDirectories).ToDictionary(f => f, File.ReadAllBytes), StringComparer.Ordinal);

    public static void AssertSameFiles(SortedDictionary<string, byte[]> before, string directory)
    {
        var after = Snapshot(directory);
        Assert.Equal(before.Keys, after.Keys);
        foreach (var (path, bytes) in before)
        {
            Assert.True(bytes.AsSpan().SequenceEqual(after[path]), $"{path} changed");
        }
    }
}
