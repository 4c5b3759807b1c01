using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using BenchmarkDotNet.Attributes;
using ExchangeGateway.Common.Crypto.Batch;
using ExchangeGateway.Common.Crypto.Cms;
using ExchangeGateway.Testing.Pki;

namespace ExchangeGateway.Benchmarks;

/// <summary>
/// Batch signing with ECDSA P-256: one CMS signature per batch of N message digests. Divide the
/// mean by N for the cost per message.
/// </summary>
[MemoryDiagnoser]
public class BatchSigningBenchmarks
{
    private TestPki _pki = null!;
    private X509Certificate2 _signer = null!;
    private ReadOnlyMemory<byte>[] _digests = null!;
    private BatchSignature[] _signatures = null!;
    private BatchSignatureVerifier _uncached = null!;
    private BatchSignatureVerifier _cached = null!;
    private DateTimeOffset _now;
    private int _next;

    /// <summary>Messages per batch.</summary>
    [Params(1, 16, 256)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _pki = TestPki.Create();
        _signer = _pki.IssueSigning("EE", "GOV", "70000001");
        _now = DateTimeOffset.UtcNow;
        _digests = Enumerable.Range(0, N).Select(i => (ReadOnlyMemory<byte>)SHA256.HashData(BitConverter.GetBytes(i))).ToArray();
        _signatures = BatchSigner.Sign(_digests, Sign);
        _uncached = new BatchSignatureVerifier(new CmsSignatureVerifier(_pki.CreateValidator()), cacheCapacity: 0);
        _cached = new BatchSignatureVerifier(new CmsSignatureVerifier(_pki.CreateValidator()));
    }

    [GlobalCleanup]
    public void Cleanup() => _pki.Dispose();

    /// <summary>Sign a whole batch of N.</summary>
    [Benchmark]
    public BatchSignature[] BatchSign() => BatchSigner.Sign(_digests, Sign);

    /// <summary>Verify one message, re-verifying the batch's CMS every time (worst case).</summary>
    [Benchmark]
    public bool VerifyOneUncached()
    {
        var i = _next++ % N;
        return _uncached.Verify(_digests[i].Span, _signatures[i], _now).IsValid;
    }

    /// <summary>Verify one message whose batch root was verified before (the common case under load).</summary>
    [Benchmark]
    public bool VerifyOneCached()
    {
        var i = _next++ % N;
        return _cached.Verify(_digests[i].Span, _signatures[i], _now).IsValid;
    }

    private byte[] Sign(byte[] content) => CmsDetachedSigner.Sign(content, _signer, _now, [_pki.IntermediateCertificate]);
}
