using System.Diagnostics;
using System.Security.Cryptography;
using ExchangeGateway.Common.Crypto.Batch;
using ExchangeGateway.Common.Crypto.Cms;
using ExchangeGateway.Signer.Ocsp;
using ExchangeGateway.Signer.Signing;
using ExchangeGateway.Signer.Tests.Support;
using ExchangeGateway.Testing.Pki;
using ExchangeGateway.Testing.Tools;
using ExchangeGateway.TrustServices.Ca;
using Xunit.Abstractions;

namespace ExchangeGateway.Signer.Tests.Signing;

/// <summary>
/// A throwaway measurement, not a test of speed: it asserts nothing about time. Runs only with
/// <c>XGW_SIGNER_MEASURE=1</c> and prints signatures per second through <see cref="BatchingSigner"/>
/// with 64 concurrent callers, and with one (an idle queue: every batch holds one message). Bounded:
/// two seconds per case after a short warm-up.
/// </summary>
public sealed class BatchingSignerThroughput(ITestOutputHelper output)
{
    [MeasurementTheory]
    [InlineData(KeyKind.EcdsaP256, 64)]
    [InlineData(KeyKind.Rsa2048, 64)]
    [InlineData(KeyKind.EcdsaP256, 1)]
    [InlineData(KeyKind.Rsa2048, 1)]
    public async Task Measure_ConcurrentCallers_PrintsSignaturesPerSecond(KeyKind key, int callers)
    {
        using var dir = new TempDirectory();
        using var pki = TestPki.Create(ocspUrl: "http://ocsp.test/ocsp");
        using var http = new HttpClient(new InProcessOcspHandler(pki, TimeProvider.System));
        using var ocsp = new OcspStatusManager(http, new OcspStatusManagerOptions { StorageDirectory = dir.Path });
        await using var signer = new BatchingSigner(ocsp);
        signer.AddOrReplace(TestIdentities.Signing(pki, TestIdentities.Owner, key));
        Assert.True(await ocsp.RefreshAsync());

        await RunAsync(signer, callers, TimeSpan.FromMilliseconds(500));
        var batchesBefore = signer.BatchCount;
        var signaturesBefore = signer.BatchedSignatureCount;
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var elapsed = await RunAsync(signer, callers, TimeSpan.FromSeconds(2));
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;

        var signatures = signer.BatchedSignatureCount - signaturesBefore;
        var batches = signer.BatchCount - batchesBefore;
        output.WriteLine($"{key}: {signatures / elapsed.TotalSeconds:F0} signatures/s, {batches / elapsed.TotalSeconds:F0} batches/s, mean batch {(double)signatures / batches:F1}, CPU {cpu.TotalMilliseconds * 1000 / signatures:F1} µs per signature, mean latency {elapsed.TotalMilliseconds * callers / signatures:F3} ms ({Environment.ProcessorCount} cores, {callers} callers)");
        Assert.True(signatures > 0);
    }

    [MeasurementTheory]
    [InlineData(KeyKind.EcdsaP256)]
    [InlineData(KeyKind.Rsa2048)]
    public void Measure_DirectCmsSignature_PrintsTheBaseline(KeyKind key)
    {
        // What one batch costs at least: one CMS signature over the 56-byte batch root, on this thread.
        using var pki = TestPki.Create();
        using var identity = TestIdentities.Signing(pki, TestIdentities.Owner, key);
        var content = new byte[BatchRoot.SignedContentLength];
        var chain = new[] { pki.IntermediateCertificate };
        CmsDetachedSigner.Sign(content, identity.Certificate, identity.PrivateKey, DateTimeOffset.UtcNow, chain);
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        var count = 0;
        while (watch.Elapsed < TimeSpan.FromSeconds(1))
        {
            CmsDetachedSigner.Sign(content, identity.Certificate, identity.PrivateKey, DateTimeOffset.UtcNow, chain);
            count++;
        }

        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        output.WriteLine($"{key}: one CMS signature takes {watch.Elapsed.TotalMicroseconds / count:F0} µs wall, {cpu.TotalMicroseconds / count:F0} µs CPU, on one thread ({count / watch.Elapsed.TotalSeconds:F0}/s)");
    }

    private static async Task<TimeSpan> RunAsync(BatchingSigner signer, int count, TimeSpan duration)
    {
        var watch = Stopwatch.StartNew();
        var callers = Enumerable.Range(0, count).Select(c => Task.Run(async () =>
        {
            var digest = SHA256.HashData(BitConverter.GetBytes(c));
            while (watch.Elapsed < duration)
            {
                var result = await signer.SignAsync(TestIdentities.Owner, digest);
                Assert.True(result.IsSuccess, result.Message);
            }
        }));
        await Task.WhenAll(callers);
        return watch.Elapsed;
    }
}
