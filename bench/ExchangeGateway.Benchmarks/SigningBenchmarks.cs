using System.Security.Cryptography.X509Certificates;
using BenchmarkDotNet.Attributes;
using ExchangeGateway.Common.Crypto.Cms;
using ExchangeGateway.Testing.Pki;
using ExchangeGateway.TrustServices.Ca;

namespace ExchangeGateway.Benchmarks;

/// <summary>Detached CMS signing and verification of a small envelope head, per key type.</summary>
[MemoryDiagnoser]
public class SigningBenchmarks
{
    private readonly byte[] _content = new byte[512];
    private TestPki _pki = null!;
    private X509Certificate2 _signer = null!;
    private CmsSignatureVerifier _verifier = null!;
    private byte[] _signature = null!;
    private DateTimeOffset _now;

    /// <summary>The signing key type.</summary>
    [Params(KeyKind.EcdsaP256, KeyKind.Rsa2048)]
    public KeyKind Key { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _pki = TestPki.Create();
        _signer = _pki.IssueSigning("EE", "GOV", "70000001", Key);
        _verifier = new CmsSignatureVerifier(_pki.CreateValidator());
        _now = DateTimeOffset.UtcNow;
        Random.Shared.NextBytes(_content);
        _signature = CmsDetachedSigner.Sign(_content, _signer, _now, [_pki.IntermediateCertificate]);
    }

    [GlobalCleanup]
    public void Cleanup() => _pki.Dispose();

    [Benchmark]
    public byte[] CmsSign() => CmsDetachedSigner.Sign(_content, _signer, _now, [_pki.IntermediateCertificate]);

    [Benchmark]
    public bool CmsVerify() => _verifier.Verify(_signature, _content, _now).IsValid;
}
