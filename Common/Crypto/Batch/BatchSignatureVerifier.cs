using System.Collections.Concurrent;
using System.Security.Cryptography;
using ExchangeGateway.Common.Crypto.Cms;
using ExchangeGateway.Common.Crypto.Merkle;
using ExchangeGateway.Common.Crypto.X509;
using ExchangeGateway.Common.Results;

namespace ExchangeGateway.Common.Crypto.Batch;

/// <summary>
/// Verifies a message against its batch signature: the digest and inclusion path must lead to a
/// root, and the CMS signature must cover that root and size. Under load many messages share a
/// batch, so a root's verified signature is remembered for a short window and later messages of the
/// same batch cost only their inclusion proof (PERFORMANCE.md: the main lever on the receiving side).
/// Thread-safe.
/// </summary>
public sealed class BatchSignatureVerifier
{
    private readonly CmsSignatureVerifier _cms;
    private readonly ConcurrentDictionary<CacheKey, CacheEntry> _verified = new();
    private readonly int _capacity;
    private readonly TimeSpan _cacheLifetime;
    private long _cacheHits;

    /// <summary>Creates a verifier.</summary>
    /// <param name="cms">Verifies the CMS signature and the signer's chain.</param>
    /// <param name="cacheCapacity">Verified batch roots remembered at most; 0 disables the cache.</param>
    /// <param name="cacheLifetime">How far apart (in verification time) a remembered result may be reused; default 60 s.</param>
    public BatchSignatureVerifier(CmsSignatureVerifier cms, int cacheCapacity = 4096, TimeSpan? cacheLifetime = null)
    {
        ArgumentNullException.ThrowIfNull(cms);
        ArgumentOutOfRangeException.ThrowIfNegative(cacheCapacity);
        _cms = cms;
        _capacity = cacheCapacity;
        _cacheLifetime = cacheLifetime ?? TimeSpan.FromSeconds(60);
    }

    /// <summary>How many verifications reused a remembered batch signature.</summary>
    public long CacheHits => Interlocked.Read(ref _cacheHits);

    /// <summary>Verifies that <paramref name="messageDigest"/> is covered by <paramref name="signature"/>, signed by a certificate valid at <paramref name="at"/>.</summary>
    public VerificationResult<CmsSignatureInfo> Verify(ReadOnlySpan<byte> messageDigest, BatchSignature signature, DateTimeOffset at, CertificatePurpose purpose = CertificatePurpose.Signing)
    {
        ArgumentNullException.ThrowIfNull(signature);
        if (signature.TreeSize < 1 || signature.LeafIndex < 0 || signature.LeafIndex >= signature.TreeSize)
        {
            return VerificationResult<CmsSignatureInfo>.Fail(TrustFailure.ProofInvalid, $"leaf index {signature.LeafIndex} is outside a batch of {signature.TreeSize}");
        }

        var path = signature.InclusionPath is MerkleHash[] array ? array : [.. signature.InclusionPath];
        var root = MerkleProofs.RootFromInclusionProof(BatchSigner.LeafHash(messageDigest), signature.LeafIndex, signature.TreeSize, path);
        if (!root.IsValid)
        {
            return VerificationResult<CmsSignatureInfo>.Fail(TrustFailure.ProofInvalid, $"inclusion path: {root.Message}");
        }

        var content = new BatchRoot(signature.TreeSize, root.Value).ToSignedContent();
        var key = _capacity > 0 ? CacheKey.Create(signature.Cms, content, purpose) : default;
        if (_capacity > 0 && _verified.TryGetValue(key, out var entry) && (at - entry.VerifiedAt).Duration() <= _cacheLifetime)
        {
            Interlocked.Increment(ref _cacheHits);
            return VerificationResult<CmsSignatureInfo>.Ok(entry.Info);
        }

        var result = _cms.Verify(signature.Cms, content, at, purpose, requireSigningCertificateAttribute: true);
        if (!result.IsValid)
        {
            // A digest mismatch here means the message and path do not lead to the root that was signed.
            return result.Failure == TrustFailure.DigestMismatch
                ? VerificationResult<CmsSignatureInfo>.Fail(TrustFailure.ProofInvalid, "the message is not in the signed batch: its digest and inclusion path lead to another root")
                : result;
        }

        if (_capacity > 0)
        {
            if (_verified.Count >= _capacity)
            {
                // Crude but bounded: batches are short-lived, so dropping everything loses little.
                _verified.Clear();
            }

            _verified[key] = new CacheEntry(result.Value, at);
        }

        return result;
    }

    private readonly record struct CacheEntry(CmsSignatureInfo Info, DateTimeOffset VerifiedAt);

    private readonly record struct CacheKey(MerkleHash Hash, CertificatePurpose Purpose)
    {
        public static CacheKey Create(byte[] cms, byte[] content, CertificatePurpose purpose)
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            hash.AppendData(content);
            hash.AppendData(cms);
            Span<byte> digest = stackalloc byte[32];
            hash.GetHashAndReset(digest);
            return new CacheKey(new MerkleHash(digest), purpose);
        }
    }
}
