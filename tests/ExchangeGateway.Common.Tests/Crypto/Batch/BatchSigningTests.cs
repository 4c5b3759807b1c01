using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ExchangeGateway.Common.Crypto.Batch;
using ExchangeGateway.Common.Crypto.Cms;
using ExchangeGateway.Common.Crypto.Merkle;
using ExchangeGateway.Common.Results;
using ExchangeGateway.Testing.Pki;
using ExchangeGateway.Testing.Time;
using ExchangeGateway.Testing.Tools;

namespace ExchangeGateway.Common.Tests.Crypto.Batch;

public sealed class BatchSigningTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 8, 0, 0, TimeSpan.Zero);
    private readonly TestPki _pki = TestPki.Create(new ManualTimeProvider(Now));
    private readonly X509Certificate2 _signer;
    private int _signatures;

    public BatchSigningTests()
    {
        _signer = _pki.IssueSigning("EE", "GOV", "70000001");
    }

    public void Dispose() => _pki.Dispose();

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(256)]
    public void Sign_BatchOfN_OneKeyOperationAndEveryMessageVerifies(int n)
    {
        var digests = Digests(n);

        var signatures = BatchSigner.Sign(digests, Sign);

        Assert.Equal(1, _signatures);
        Assert.Equal(n, signatures.Length);
        var verifier = NewVerifier(cacheCapacity: 0);
        for (var i = 0; i < n; i++)
        {
            Assert.Equal(i, signatures[i].LeafIndex);
            Assert.Equal(n, signatures[i].TreeSize);
            var result = verifier.Verify(digests[i].Span, signatures[i], Now);
            Assert.True(result.IsValid, $"message {i}: {result}");
            Assert.Equal(_signer.Thumbprint, result.Value.Signer.Thumbprint);
        }
    }

    [Fact]
    public void Sign_BatchOfOne_HasEmptyPath()
    {
        var signature = BatchSigner.Sign(Digests(1), Sign).Single();

        Assert.Empty(signature.InclusionPath);
    }

    [Fact]
    public void Verify_TamperedMessageDigest_FailsWithProofInvalid()
    {
        var digests = Digests(16);
        var signatures = BatchSigner.Sign(digests, Sign);
        var tampered = digests[3].ToArray();
        tampered[0] ^= 0x80;

        var result = NewVerifier().Verify(tampered, signatures[3], Now);

        Assert.Equal(TrustFailure.ProofInvalid, result.Failure);
    }

    [Fact]
    public void Verify_MessagePresentedWithAnotherMessagesPath_Fails()
    {
        var digests = Digests(16);
        var signatures = BatchSigner.Sign(digests, Sign);

        Assert.Equal(TrustFailure.ProofInvalid, NewVerifier().Verify(digests[3].Span, signatures[4], Now).Failure);
    }

    [Fact]
    public void Verify_WrongLeafIndex_Fails()
    {
        var digests = Digests(16);
        var signatures = BatchSigner.Sign(digests, Sign);

        var moved = signatures[5] with { LeafIndex = 6 };

        Assert.Equal(TrustFailure.ProofInvalid, NewVerifier().Verify(digests[5].Span, moved, Now).Failure);
    }

    [Fact]
    public void Verify_ClaimedTreeSizeDiffersFromSigned_Fails()
    {
        // Sizes 5 and 6 give leaf 0 a proof of the same shape; only the signed size tells them apart.
        var digests = Digests(6);
        var signatures = BatchSigner.Sign(digests, Sign);

        var resized = signatures[0] with { TreeSize = 5 };
        var result = NewVerifier().Verify(digests[0].Span, resized, Now);

        Assert.False(result.IsValid);
    }

    [Fact]
    public void Verify_LeafIndexOutsideBatch_FailsWithoutVerifyingCms()
    {
        var signature = BatchSigner.Sign(Digests(2), Sign)[0] with { LeafIndex = 2 };

        Assert.Equal(TrustFailure.ProofInvalid, NewVerifier().Verify(Digests(2)[0].Span, signature, Now).Failure);
    }

    [Fact]
    public void Verify_BatchSignedByUnknownCa_FailsAsUntrusted()
    {
        using var other = TestPki.Create(name: "Other");
        var stranger = other.IssueSigning("EE", "GOV", "70000001");
        var digests = Digests(4);
        var signatures = BatchSigner.Sign(digests, content => CmsDetachedSigner.Sign(content, stranger, Now, [other.IntermediateCertificate]));

        Assert.Equal(TrustFailure.UntrustedCertificate, NewVerifier().Verify(digests[0].Span, signatures[0], Now).Failure);
    }

    [Fact]
    public void Verify_SecondMessageOfSameBatch_ReusesVerifiedRoot()
    {
        var digests = Digests(8);
        var signatures = BatchSigner.Sign(digests, Sign);
        var verifier = NewVerifier();

        Assert.True(verifier.Verify(digests[0].Span, signatures[0], Now).IsValid);
        Assert.True(verifier.Verify(digests[1].Span, signatures[1], Now.AddSeconds(1)).IsValid);
        Assert.Equal(1, verifier.CacheHits);

        // A tampered digest never reaches the cache: its path leads to another root.
        var tampered = digests[2].ToArray();
        tampered[1] ^= 1;
        Assert.False(verifier.Verify(tampered, signatures[2], Now).IsValid);
        Assert.Equal(1, verifier.CacheHits);
    }

    [Fact]
    public void Verify_RememberedRootPastLifetime_IsVerifiedAgain()
    {
        var digests = Digests(2);
        var signatures = BatchSigner.Sign(digests, Sign);
        var verifier = NewVerifier(cacheLifetime: TimeSpan.FromSeconds(10));

        Assert.True(verifier.Verify(digests[0].Span, signatures[0], Now).IsValid);
        Assert.True(verifier.Verify(digests[1].Span, signatures[1], Now.AddMinutes(1)).IsValid);

        Assert.Equal(0, verifier.CacheHits);
    }

    [Fact]
    public void BatchRoot_SignedContent_IsLabelSizeAndRoot()
    {
        var root = new BatchRoot(3, MerkleHasher.EmptyRoot);

        var content = root.ToSignedContent();

        Assert.Equal(BatchRoot.SignedContentLength, content.Length);
        Assert.Equal("xgw-batch-root/1"u8.ToArray(), content[..16]);
        Assert.Equal(new byte[] { 0, 0, 0, 0, 0, 0, 0, 3 }, content[16..24]);
        Assert.Equal(MerkleHasher.EmptyRoot.ToArray(), content[24..]);
    }

    [Fact]
    public async Task OpenSslCmsVerify_AcceptsBatchRootSignature()
    {
        using var dir = new TempDirectory();
        byte[]? signedContent = null;
        var signatures = BatchSigner.Sign(Digests(16), content =>
        {
            signedContent = content;
            return CmsDetachedSigner.Sign(content, _signer, DateTimeOffset.UtcNow, [_pki.IntermediateCertificate]);
        });
        _pki.WritePemFiles(dir.Path);
        await File.WriteAllBytesAsync(dir.File("root.bin"), signedContent!);
        await File.WriteAllBytesAsync(dir.File("batch.der"), signatures[0].Cms);

        // The TestPki clock is fixed in mid-2026 but OpenSSL checks against real time, so -no_check_time
        // (the certificate's validity is our verifier's business, tested above).
        var result = await OpenSsl.RunAsync(dir.Path, "cms", "-verify", "-binary", "-inform", "DER", "-in", "batch.der", "-content", "root.bin", "-CAfile", "chain.pem", "-purpose", "any", "-no_check_time", "-out", "/dev/null");

        Assert.True(result.ExitCode == 0, result.Output);
    }

    private BatchSignatureVerifier NewVerifier(int cacheCapacity = 16, TimeSpan? cacheLifetime = null) =>
        new(new CmsSignatureVerifier(_pki.CreateValidator()), cacheCapacity, cacheLifetime);

    private byte[] Sign(byte[] content)
    {
        _signatures++;
        return CmsDetachedSigner.Sign(content, _signer, Now, [_pki.IntermediateCertificate]);
    }

    private static ReadOnlyMemory<byte>[] Digests(int n) =>
        Enumerable.Range(0, n).Select(i => (ReadOnlyMemory<byte>)SHA256.HashData(BitConverter.GetBytes(i))).ToArray();
}
