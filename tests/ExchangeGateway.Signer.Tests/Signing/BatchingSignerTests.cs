using System.Security.Cryptography;
using ExchangeGateway.Common.Crypto.Batch;
using ExchangeGateway.Common.Crypto.Cms;
using ExchangeGateway.Common.Crypto.Ocsp;
using ExchangeGateway.Common.Crypto.X509;
using ExchangeGateway.Signer.Ocsp;
using ExchangeGateway.Signer.Signing;
using ExchangeGateway.Signer.Tests.Support;
using ExchangeGateway.Testing.Pki;
using ExchangeGateway.Testing.Time;
using ExchangeGateway.Testing.Tools;
using ExchangeGateway.TrustServices.Ca;

namespace ExchangeGateway.Signer.Tests.Signing;

public sealed class BatchingSignerTests : IAsyncLifetime
{
    private static readonly TimeSpan Freshness = TimeSpan.FromMinutes(20);

    private readonly ManualTimeProvider _time = new();
    private readonly TempDirectory _dir = new();
    private readonly TestPki _pki;
    private readonly InProcessOcspHandler _responder;
    private readonly HttpClient _http;
    private readonly OcspStatusManager _ocsp;
    private readonly BatchSignatureVerifier _verifier;
    private BatchingSigner _signer = null!;

    // Set to make the next freshness check (made by the signer's consumer before each batch) wait:
    // the test then knows the consumer is busy and can queue requests behind it deterministically.
    private int _blockNextFreshnessCheck;
    private readonly SemaphoreSlim _consumerBlocked = new(0);
    private readonly ManualResetEventSlim _releaseConsumer = new(false);

    public BatchingSignerTests()
    {
        _pki = TestPki.Create(_time, ocspUrl: "http://ocsp.test/ocsp");
        _responder = new InProcessOcspHandler(_pki, _time);
        _http = new HttpClient(_responder);
        _ocsp = new OcspStatusManager(_http, new OcspStatusManagerOptions { StorageDirectory = _dir.File("ocsp"), Freshness = CheckFreshness }, _time);
        _verifier = new BatchSignatureVerifier(new CmsSignatureVerifier(_pki.CreateValidator()));
    }

    public Task InitializeAsync()
    {
        _signer = new BatchingSigner(_ocsp, _time);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _releaseConsumer.Set();
        await _signer.DisposeAsync();
        _ocsp.Dispose();
        _http.Dispose();
        _pki.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task SignAsync_OneMessage_VerifiesAndCarriesCertificateAndGoodOcsp()
    {
        await AddOwnerAsync();
        var digest = Digest(1);

        var result = await _signer.SignAsync(TestIdentities.Owner, digest);

        Assert.True(result.IsSuccess, result.Message);
        Assert.Equal(1, result.Signature.TreeSize);
        Assert.Empty(result.Signature.InclusionPath);
        var verified = _verifier.Verify(digest, result.Signature, _time.GetUtcNow());
        Assert.True(verified.IsValid, verified.Message);
        Assert.Equal(result.Certificate.RawData, verified.Value!.Signer.RawData);
        Assert.False(result.Certificate.HasPrivateKey);
        var ocsp = OcspResponseVerifier.Verify(result.OcspResponse.ToArray(), result.Certificate, _pki.IntermediateCertificate, _time.GetUtcNow());
        Assert.True(ocsp.IsValid, ocsp.Message);
        Assert.Equal(1, _signer.BatchCount);

        // Another digest does not verify against this signature.
        Assert.False(_verifier.Verify(Digest(2), result.Signature, _time.GetUtcNow()).IsValid);
    }

    [Fact]
    public async Task SignAsync_RequestsQueuedWhileABatchIsSigned_FormTheNextBatches()
    {
        await AddOwnerAsync();
        var first = await SignWithBlockedConsumerAsync(0);

        var queued = Enumerable.Range(1, 299).Select(i => _signer.SignAsync(TestIdentities.Owner, Digest(i)).AsTask()).ToArray();
        _releaseConsumer.Set();
        SignResult[] results = [await first, .. await Task.WhenAll(queued)];

        // One batch of one (the idle queue), then everything that waited: 256 (the maximum) and 43.
        Assert.Equal(3, _signer.BatchCount);
        Assert.Equal(300, _signer.BatchedSignatureCount);
        Assert.Equal([1L, 256L, 43L], results.Select(r => r.Signature!.TreeSize).Distinct());
        for (var i = 0; i < results.Length; i++)
        {
            Assert.True(results[i].IsSuccess, results[i].Message);
            var verified = _verifier.Verify(Digest(i), results[i].Signature!, _time.GetUtcNow());
            Assert.True(verified.IsValid, $"message {i}: {verified.Message}");
        }

        // A batch shares one CMS: the verifier checks it once and reuses the result.
        Assert.Equal(3, results.Select(r => Convert.ToHexString(r.Signature!.Cms)).Distinct().Count());
        Assert.True(_verifier.CacheHits >= 297);
    }

    [Fact]
    public async Task SignAsync_ManyConcurrentCallers_EachGetsASignatureOverItsOwnDigest()
    {
        await AddOwnerAsync();

        var results = await Task.WhenAll(Enumerable.Range(0, 500).Select(i => Task.Run(async () => (i, await _signer.SignAsync(TestIdentities.Owner, Digest(i))))));

        Assert.All(results, r =>
        {
            Assert.True(r.Item2.IsSuccess, r.Item2.Message);
            Assert.True(_verifier.Verify(Digest(r.i), r.Item2.Signature!, _time.GetUtcNow()).IsValid);
            var encoded = BatchSignatureEncoding.Encode(r.Item2.Signature!);
            Assert.True(_verifier.Verify(Digest(r.i), BatchSignatureEncoding.TryDecode(encoded).GetValueOrThrow(), _time.GetUtcNow()).IsValid);
        });
        Assert.Equal(500, _signer.BatchedSignatureCount);
        Assert.InRange(_signer.BatchCount, 1, 500);
    }

    [Fact]
    public async Task SignAsync_UnknownMember_FailsWithNoSigningKey()
    {
        var result = await _signer.SignAsync(TestIdentities.Other, Digest(1));

        Assert.Equal(SignFailure.NoSigningKey, result.Failure);
        Assert.Null(result.Signature);
    }

    [Fact]
    public async Task SignAsync_NoOcspResponseYet_FailsClosed()
    {
        _signer.AddOrReplace(TestIdentities.Signing(_pki, TestIdentities.Owner));

        var result = await _signer.SignAsync(TestIdentities.Owner, Digest(1));
        var detached = await _signer.SignDetachedAsync(TestIdentities.Owner, "checkpoint"u8.ToArray());

        Assert.Equal(SignFailure.OcspNotGood, result.Failure);
        Assert.Contains("no OCSP response", result.Message, StringComparison.Ordinal);
        Assert.Equal(SignFailure.OcspNotGood, detached.Failure);
        Assert.Equal(0, _signer.BatchCount);
    }

    [Fact]
    public async Task SignAsync_ResponderDown_SignsUntilFreshnessRunsOutThenFailsClosed()
    {
        await AddOwnerAsync();
        _responder.Down = true;
        _time.Advance(TimeSpan.FromMinutes(15));
        await _ocsp.RefreshAsync();

        Assert.True((await _signer.SignAsync(TestIdentities.Owner, Digest(1))).IsSuccess);

        _time.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));
        var stale = await _signer.SignAsync(TestIdentities.Owner, Digest(2));
        Assert.Equal(SignFailure.OcspNotGood, stale.Failure);
        Assert.Contains("not good and fresh", stale.Message, StringComparison.Ordinal);

        _responder.Down = false;
        await _ocsp.RefreshAsync();
        Assert.True((await _signer.SignAsync(TestIdentities.Owner, Digest(3))).IsSuccess);
    }

    [Fact]
    public async Task SignAsync_RevokedCertificate_FailsWithOcspNotGood()
    {
        var certificate = await AddOwnerAsync();
        _responder.Revoke(certificate, _time.GetUtcNow());
        _time.Advance(TimeSpan.FromSeconds(1));
        await _ocsp.RefreshAsync();

        var result = await _signer.SignAsync(TestIdentities.Owner, Digest(1));

        Assert.Equal(SignFailure.OcspNotGood, result.Failure);
        Assert.Contains("revoked", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignDetachedAsync_Checkpoint_IsAPlainDetachedCmsWithItsOcsp()
    {
        await AddOwnerAsync();
        var checkpoint = "tree 42 root abcd"u8.ToArray();

        var result = await _signer.SignDetachedAsync(TestIdentities.Owner, checkpoint);

        Assert.True(result.IsSuccess, result.Message);
        var verified = new CmsSignatureVerifier(_pki.CreateValidator()).Verify(result.Cms, checkpoint, _time.GetUtcNow(), CertificatePurpose.Signing, requireSigningCertificateAttribute: true);
        Assert.True(verified.IsValid, verified.Message);
        Assert.False(result.OcspResponse.IsEmpty);
        Assert.Equal(1, _signer.DetachedSignatureCount);
        Assert.Equal(0, _signer.BatchCount);
    }

    [Fact]
    public async Task SignAsync_TokenNotActive_FailsAtOnceAndResumesWhenActiveAgain()
    {
        await AddOwnerAsync();
        _signer.TokenActive = false;

        var refused = await _signer.SignAsync(TestIdentities.Owner, Digest(1));
        var detached = await _signer.SignDetachedAsync(TestIdentities.Owner, "checkpoint"u8.ToArray());

        Assert.Equal(SignFailure.TokenNotActive, refused.Failure);
        Assert.Equal("the key token is logged out", refused.Message);
        Assert.Equal(SignFailure.TokenNotActive, detached.Failure);
        Assert.Equal(0, _signer.BatchCount);
        Assert.Equal(0, _signer.DetachedSignatureCount);

        _signer.TokenActive = true;
        Assert.True((await _signer.SignAsync(TestIdentities.Owner, Digest(1))).IsSuccess);
    }

    [Fact]
    public async Task SignAsync_TokenLoggedOutWhileRequestsAreQueued_QueuedRequestsAreNotSigned()
    {
        await AddOwnerAsync();
        var first = await SignWithBlockedConsumerAsync(0);
        var queued = Enumerable.Range(1, 5).Select(i => _signer.SignAsync(TestIdentities.Owner, Digest(i)).AsTask()).ToArray();

        _signer.TokenActive = false;
        _releaseConsumer.Set();

        // The batch already past the check is signed; what waited behind it is not.
        Assert.True((await first).IsSuccess);
        Assert.All(await Task.WhenAll(queued), r => Assert.Equal(SignFailure.TokenNotActive, r.Failure));
        Assert.Equal(1, _signer.BatchedSignatureCount);
    }

    [Fact]
    public async Task SignAsync_QueueFull_FailsWithOverloadedAtOnce()
    {
        await _signer.DisposeAsync();
        _signer = new BatchingSigner(_ocsp, _time, new BatchingSignerOptions { MaxQueueLength = 2 });
        await AddOwnerAsync();
        var first = await SignWithBlockedConsumerAsync(0);

        var queued = new[] { _signer.SignAsync(TestIdentities.Owner, Digest(1)), _signer.SignAsync(TestIdentities.Owner, Digest(2)) };
        var rejected = await _signer.SignAsync(TestIdentities.Owner, Digest(3));

        Assert.Equal(SignFailure.Overloaded, rejected.Failure);
        _releaseConsumer.Set();
        Assert.True((await first).IsSuccess);
        foreach (var q in queued)
        {
            Assert.True((await q).IsSuccess);
        }
    }

    [Fact]
    public async Task SignAsync_CancelledWhileQueued_IsNotSigned()
    {
        await AddOwnerAsync();
        var first = await SignWithBlockedConsumerAsync(0);
        using var cancel = new CancellationTokenSource();

        var cancelled = _signer.SignAsync(TestIdentities.Owner, Digest(1), cancel.Token).AsTask();
        var kept = _signer.SignAsync(TestIdentities.Owner, Digest(2)).AsTask();
        await cancel.CancelAsync();
        _releaseConsumer.Set();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        Assert.True((await kept).IsSuccess);
        Assert.True((await first).IsSuccess);
        Assert.Equal(2, _signer.BatchedSignatureCount);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _signer.SignAsync(TestIdentities.Owner, Digest(3), cancel.Token).AsTask());
    }

    [Fact]
    public async Task AddOrReplace_NewIdentity_SignsWithTheNewCertificateAfterTheQueuedOnes()
    {
        var old = await AddOwnerAsync();
        var first = await SignWithBlockedConsumerAsync(0);
        var queued = _signer.SignAsync(TestIdentities.Owner, Digest(1)).AsTask();

        var replacement = TestIdentities.Signing(_pki, TestIdentities.Owner, KeyKind.Rsa2048);
        var replacementCertificate = TestIdentities.Copy(replacement.Certificate);
        _signer.AddOrReplace(replacement);
        await _ocsp.RefreshAsync();
        var after = await _signer.SignAsync(TestIdentities.Owner, Digest(2));
        _releaseConsumer.Set();

        Assert.Equal(old.RawData, (await first).Certificate!.RawData);
        Assert.Equal(old.RawData, (await queued).Certificate!.RawData);
        Assert.True(after.IsSuccess, after.Message);
        Assert.Equal(replacementCertificate.RawData, after.Certificate.RawData);
        Assert.True(_verifier.Verify(Digest(2), after.Signature, _time.GetUtcNow()).IsValid);
    }

    [Fact]
    public async Task Remove_Member_StopsSigningForIt()
    {
        await AddOwnerAsync();

        Assert.True(_signer.Remove(TestIdentities.Owner));

        Assert.Equal(SignFailure.NoSigningKey, (await _signer.SignAsync(TestIdentities.Owner, Digest(1))).Failure);
        Assert.Empty(_signer.Members);
        Assert.False(_signer.Remove(TestIdentities.Owner));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(31)]
    [InlineData(65)]
    public async Task SignAsync_DigestOfWrongLength_Throws(int length)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _signer.SignAsync(TestIdentities.Owner, new byte[length]).AsTask());
    }

    [Fact]
    public async Task SignAsync_AfterDispose_Throws()
    {
        await _signer.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => _signer.SignAsync(TestIdentities.Owner, Digest(1)).AsTask());
    }

    private async Task<System.Security.Cryptography.X509Certificates.X509Certificate2> AddOwnerAsync()
    {
        var identity = TestIdentities.Signing(_pki, TestIdentities.Owner);
        var certificate = TestIdentities.Copy(identity.Certificate);
        _signer.AddOrReplace(identity);
        Assert.True(await _ocsp.RefreshAsync());
        return certificate;
    }

    /// <summary>
    /// Starts a request whose batch blocks in the consumer (at its freshness check, before signing) until
    /// the test sets <see cref="_releaseConsumer"/>; whatever is queued meanwhile waits for the next batch.
    /// </summary>
    private async Task<Task<SignResult>> SignWithBlockedConsumerAsync(int digest)
    {
        Volatile.Write(ref _blockNextFreshnessCheck, 1);
        var started = _signer.SignAsync(TestIdentities.Owner, Digest(digest)).AsTask();
        Assert.True(await _consumerBlocked.WaitAsync(TimeSpan.FromSeconds(10)), "the consumer did not start the first batch");
        return started;
    }

    private TimeSpan CheckFreshness()
    {
        if (Interlocked.Exchange(ref _blockNextFreshnessCheck, 0) == 1)
        {
            _consumerBlocked.Release();
            _releaseConsumer.Wait(TimeSpan.FromSeconds(30));
        }

        return Freshness;
    }

    private static byte[] Digest(int i) => SHA256.HashData(BitConverter.GetBytes(i));
}
