using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using BenchmarkDotNet.Attributes;
using ExchangeGateway.Common.Crypto.Ocsp;
using ExchangeGateway.Common.Crypto.TimeStamping;
using ExchangeGateway.Testing.Pki;
using ExchangeGateway.TrustServices.Ocsp;
using ExchangeGateway.TrustServices.Tsa;

namespace ExchangeGateway.Benchmarks;

/// <summary>Verifying an OCSP response and an RFC 3161 token, and producing each on the dev services.</summary>
[MemoryDiagnoser]
public class TrustServiceBenchmarks
{
    private TestPki _pki = null!;
    private X509Certificate2 _leaf = null!;
    private byte[] _ocspRequest = null!;
    private byte[] _ocspResponse = null!;
    private OcspVerificationOptions _ocspOptions = null!;
    private OcspResponder _responder = null!;
    private TimeStampAuthority _tsa = null!;
    private TimeStampVerifier _tsVerifier = null!;
    private TimeStampTrust _tsTrust = null!;
    private byte[] _tsRequest = null!;
    private byte[] _tsResponse = null!;
    private byte[] _hash = null!;
    private DateTimeOffset _now;

    [GlobalSetup]
    public void Setup()
    {
        _pki = TestPki.Create();
        _leaf = _pki.IssueSigning("EE", "GOV", "70000001");
        _now = DateTimeOffset.UtcNow;
        _responder = new OcspResponder(_pki.IntermediateCertificate, _pki.OcspResponder, _ => CertificateStatusEntry.Good, TimeProvider.System);
        _ocspRequest = OcspRequestBuilder.Build(_leaf, _pki.IntermediateCertificate);
        _ocspResponse = _responder.Respond(_ocspRequest);
        _ocspOptions = new OcspVerificationOptions { Certificates = new ExchangeGateway.Common.Crypto.X509.CertificateCache() };

        _hash = SHA256.HashData("checkpoint"u8);
        _tsa = new TimeStampAuthority(_pki.Tsa, TimeProvider.System);
        _tsRequest = TimeStampRequestFactory.Create(_hash, HashAlgorithmName.SHA256).Encode();
        _tsResponse = _tsa.Respond(_tsRequest);
        _tsVerifier = new TimeStampVerifier(TimeProvider.System);
        _tsTrust = new TimeStampTrust(_pki.CreateValidator());
    }

    [GlobalCleanup]
    public void Cleanup() => _pki.Dispose();

    [Benchmark]
    public bool OcspVerify() => OcspResponseVerifier.Verify(_ocspResponse, _leaf, _pki.IntermediateCertificate, _now).IsValid;

    /// <summary>The same, with embedded responder certificates parsed once (how a server will run it).</summary>
    [Benchmark]
    public bool OcspVerifyCachedCertificates() => OcspResponseVerifier.Verify(_ocspResponse, _leaf, _pki.IntermediateCertificate, _now, _ocspOptions).IsValid;

    [Benchmark]
    public byte[] OcspRespond() => _responder.Respond(_ocspRequest);

    [Benchmark]
    public bool TimeStampVerify() => _tsVerifier.Verify(_tsResponse, _hash, HashAlgorithmName.SHA256, _tsTrust).IsValid;

    [Benchmark]
    public byte[] TimeStampRespond() => _tsa.Respond(_tsRequest);
}
