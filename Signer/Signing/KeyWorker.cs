using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Channels;
using ExchangeGateway.Common.Crypto.Batch;
using ExchangeGateway.Common.Crypto.Cms;
using ExchangeGateway.Signer.Identities;
using ExchangeGateway.Signer.Ocsp;

namespace ExchangeGateway.Signer.Signing;

/// <summary>
/// One signing key's queue and its single consumer. The consumer takes whatever is waiting (up to the
/// batch size) and signs it with one private-key operation, so batches grow exactly as fast as requests
/// arrive while a signature is being made: an idle queue gives a batch of one at once, with no timer and
/// no added latency. All operations with the key happen on this one consumer, so the key object is never
/// used by two threads.
/// </summary>
internal sealed class KeyWorker
{
    private readonly Channel<WorkItem> _queue;
    private readonly SigningIdentity _identity;
    private readonly OcspStatusManager _ocsp;
    private readonly TimeProvider _time;
    private readonly BatchingSigner _owner;
    private readonly int _maxBatchSize;
    private readonly string _certificateKey;
    private readonly X509Certificate2[] _cmsChain;
    private volatile bool _closed;

    public KeyWorker(SigningIdentity identity, OcspStatusManager ocsp, TimeProvider time, BatchingSignerOptions options, BatchingSigner owner)
    {
        _identity = identity;
        _ocsp = ocsp;
        _time = time;
        _owner = owner;
        _maxBatchSize = options.MaxBatchSize;
        _certificateKey = OcspStatusManager.KeyOf(identity.Certificate);

        // Receivers hold the trust anchors (global configuration); the CMS carries what leads there.
        _cmsChain = [.. identity.Chain.Where(c => !c.SubjectName.RawData.AsSpan().SequenceEqual(c.IssuerName.RawData))];
        PublicCertificate = X509CertificateLoader.LoadCertificate(identity.Certificate.RawDataMemory.Span);
        _queue = Channel.CreateBounded<WorkItem>(new BoundedChannelOptions(options.MaxQueueLength)
        {
            SingleReader = true,
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait,
            AllowSynchronousContinuations = false,
        });
        Completion = Task.Run(ConsumeAsync);
    }

    /// <summary>The signing certificate without its key, handed out in results and never disposed.</summary>
    public X509Certificate2 PublicCertificate { get; }

    /// <summary>The identity this worker signs with.</summary>
    public SigningIdentity Identity => _identity;

    /// <summary>Completes when the queue is closed and drained and the identity disposed.</summary>
    public Task Completion { get; }

    public EnqueueOutcome TryEnqueue(WorkItem item)
    {
        if (_queue.Writer.TryWrite(item))
        {
            return EnqueueOutcome.Accepted;
        }

        // TryWrite fails for a full queue and for a closed one; only Complete closes it.
        return _closed ? EnqueueOutcome.Closed : EnqueueOutcome.Full;
    }

    /// <summary>Stops accepting work; what is queued is still signed, then the identity is disposed.</summary>
    public void Close()
    {
        _closed = true;
        _queue.Writer.TryComplete();
    }

    private async Task ConsumeAsync()
    {
        var reader = _queue.Reader;
        var batch = new List<WorkItem>(Math.Min(_maxBatchSize, 1024));
        var digests = new List<ReadOnlyMemory<byte>>(batch.Capacity);
        try
        {
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                while (batch.Count < _maxBatchSize && reader.TryRead(out var item))
                {
                    if (item.Detached is { } detached)
                    {
                        if (!detached.Task.IsCompleted)
                        {
                            detached.TrySetResult(SignDetached(item.Data));
                        }
                    }
                    else if (!item.Digest!.Task.IsCompleted)
                    {
                        // Requests cancelled while queued are skipped: no signature is wasted on them.
                        batch.Add(item);
                    }
                }

                if (batch.Count > 0)
                {
                    SignBatch(batch, digests);
                    batch.Clear();
                    digests.Clear();
                }
            }
        }
        catch (Exception ex)
        {
            // A bug, not an expected failure (those are results). Nobody may be left waiting for a
            // consumer that is gone: close the queue, fail what is in it, and let the bug surface.
            _closed = true;
            _queue.Writer.TryComplete();
            foreach (var item in batch)
            {
                item.Digest?.TrySetException(ex);
            }

            while (reader.TryRead(out var item))
            {
                item.Digest?.TrySetException(ex);
                item.Detached?.TrySetException(ex);
            }

            throw;
        }
        finally
        {
            _ocsp.Untrack(_identity.Certificate);
            _identity.Dispose();
        }
    }

    private void SignBatch(List<WorkItem> batch, List<ReadOnlyMemory<byte>> digests)
    {
        if (!_owner.TokenActive)
        {
            var inactive = SignResult.Fail(SignFailure.TokenNotActive, BatchingSigner.Describe(SignFailure.TokenNotActive, _identity.Member));
            foreach (var item in batch)
            {
                item.Digest!.TrySetResult(inactive);
            }

            return;
        }

        var now = _time.GetUtcNow();
        if (!_ocsp.TryGetGood(_certificateKey, now, out var stapled))
        {
            var failure = SignResult.Fail(SignFailure.OcspNotGood, NotGoodMessage());
            foreach (var item in batch)
            {
                item.Digest!.TrySetResult(failure);
            }

            return;
        }

        foreach (var item in batch)
        {
            digests.Add(item.Data);
        }

        BatchSignature[] signatures;
        try
        {
            signatures = BatchSigner.Sign(digests, content => CmsDetachedSigner.Sign(content, _identity.Certificate, _identity.PrivateKey, now, _cmsChain));
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException or InvalidOperationException)
        {
            // Whatever goes wrong with one batch must not stop the consumer: every later caller would wait forever.
            var failure = SignResult.Fail(SignFailure.SigningFailed, $"signing with the key of {_identity.Member} failed: {ex.Message}");
            foreach (var item in batch)
            {
                item.Digest!.TrySetResult(failure);
            }

            return;
        }

        _owner.CountBatch(batch.Count);
        for (var i = 0; i < batch.Count; i++)
        {
            batch[i].Digest!.TrySetResult(SignResult.Ok(signatures[i], stapled.Response, PublicCertificate));
        }
    }

    private DetachedSignResult SignDetached(ReadOnlyMemory<byte> content)
    {
        if (!_owner.TokenActive)
        {
            return DetachedSignResult.Fail(SignFailure.TokenNotActive, BatchingSigner.Describe(SignFailure.TokenNotActive, _identity.Member));
        }

        var now = _time.GetUtcNow();
        if (!_ocsp.TryGetGood(_certificateKey, now, out var stapled))
        {
            return DetachedSignResult.Fail(SignFailure.OcspNotGood, NotGoodMessage());
        }

        try
        {
            var cms = CmsDetachedSigner.Sign(content.Span, _identity.Certificate, _identity.PrivateKey, now, _cmsChain);
            _owner.CountDetached();
            return DetachedSignResult.Ok(cms, stapled.Response, PublicCertificate);
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException or InvalidOperationException)
        {
            return DetachedSignResult.Fail(SignFailure.SigningFailed, $"signing with the key of {_identity.Member} failed: {ex.Message}");
        }
    }

    private string NotGoodMessage() =>
        _ocsp.TryGetStapled(_identity.Certificate, out var held)
            ? $"the signing certificate of {_identity.Member} has OCSP status {Describe(held.Status)} from {held.ThisUpdate:O}, which is not good and fresh"
            : $"no OCSP response is held for the signing certificate of {_identity.Member}";

    private static string Describe(Common.Crypto.Ocsp.OcspCertificateStatus status) => status switch
    {
        Common.Crypto.Ocsp.OcspCertificateStatus.Good => "good",
        Common.Crypto.Ocsp.OcspCertificateStatus.Revoked => "revoked",
        _ => "unknown",
    };
}
