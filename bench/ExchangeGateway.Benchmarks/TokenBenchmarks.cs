using BenchmarkDotNet.Attributes;
using ExchangeGateway.Common.Identifiers;
using ExchangeGateway.Signer.Identities;
using ExchangeGateway.Signer.Keys;
using ExchangeGateway.Signer.Tokens;
using ExchangeGateway.Testing.Pki;
using ExchangeGateway.TrustServices.Ca;

namespace ExchangeGateway.Benchmarks;

/// <summary>
/// What the software token costs: a login at the default key derivation (PBKDF2-HMAC-SHA256, 600,000
/// iterations; paid once per login, never per exchange), and loading the decrypted signing identities
/// (paid on each token change: login, new certificate).
/// </summary>
[MemoryDiagnoser]
public class TokenBenchmarks
{
    private const string Pin = "Bench-Token-Pin-1";
    private static readonly MemberId Member = MemberId.Parse("DEV/GOV/70000001");
    private string _directory = null!;
    private SoftwareToken _token = null!;
    private TestPki _pki = null!;

    [GlobalSetup]
    public void Setup()
    {
        _directory = Path.Combine(Path.GetTempPath(), "xgw-token-bench-" + Guid.NewGuid().ToString("N"));
        _pki = TestPki.Create();
        _token = new SoftwareToken(new SoftwareTokenOptions { Directory = _directory });
        Check(_token.Initialise(Pin));
        var key = _token.GenerateKey(KeyPurpose.Signing, "bench", Member);
        var csr = _token.CreateCsr(key.Value!.Id, Signer.Enrolment.CertificateSubjects.Signing(Member));
        using var certificate = _pki.Intermediate.IssueFromCsr(csr.Value!.Der.Span, CertificateProfile.Signing);
        var bundle = System.Text.Encoding.ASCII.GetBytes(certificate.ExportCertificatePem() + "\n" + _pki.IntermediateCertificate.ExportCertificatePem() + "\n");
        var imported = _token.ImportCertificate(bundle);
        if (!imported.Success)
        {
            throw new InvalidOperationException(imported.Message);
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _token.Dispose();
        _pki.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>Logout then login with the PIN at the default cost.</summary>
    [Benchmark]
    public void LoginAtDefaultCost()
    {
        _token.Logout();
        Check(_token.Login(Pin));
    }

    /// <summary>Decrypts the signing key and builds its identity (what the runtime does on each token change).</summary>
    [Benchmark]
    public int LoadSigningIdentities()
    {
        var identities = _token.GetSigningIdentities();
        foreach (var identity in identities)
        {
            identity.Dispose();
        }

        return identities.Count;
    }

    private static void Check(TokenResult result)
    {
        if (!result.Success)
        {
            throw new InvalidOperationException(result.Message);
        }
    }
}
