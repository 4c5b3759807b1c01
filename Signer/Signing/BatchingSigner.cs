using ExchangeGateway.Common.Crypto.Batch;
using ExchangeGateway.Common.Identifiers;
using ExchangeGateway.Signer.Identities;
using ExchangeGateway.Signer.Ocsp;

namespace ExchangeGateway.Signer.Signing;

/// <summary>
/// Signs message digests for members with batch signing (ARCHITECTURE.md §5): per signing key, one
/// consumer drains a queue into batches of up to <see cref="BatchingSignerOptions.MaxBatchSize"/> and
/// signs each batch once with <see cref="BatchSigner"/> over CMS (<c>CmsDetachedSigner</c>). Requests that
/// arrive while a batch is being signed form the next batch; an idle queue gives a batch of one at
/// once, so there are no timers and no added latency at low load. Fails closed: a key whose
/// certificate has no good, fresh OCSP response held by the <see cref="OcspStatusManager"/> does not
/// sign. Expected failures are <see cref="SignResult"/> values. Thread-safe.
/// </summary>
public sealed class BatchingSigner : IAsyncDisposable
{
    /// <summary>Shortest digest accepted: SHA-256.</summary>
    public const int MinDigestLength = 32;

    /// <summary>Longest digest accepted: SHA-512.</summary>
    public const int MaxDigestLength = 64;

    private readonly Dictionary<MemberId, KeyWorker> _workers = [];
    private readonly Lock _gate = new();
    private readonly OcspStatusManager _ocsp;
    private readonly TimeProvider _time;
    private readonly BatchingSignerOptions _options;
    private readonly List<Task> _retired = [];
    private long _batches;
    private long _batchedSignatures;
    private long _detachedSignatures;
    private bool _disposed;
    private volatile bool _tokenActive = true;

    /// <summary>Creates a signer with no keys; add them with <see cref="AddOrReplace"/>.</summary>
    /// <param name="ocsp">Holds the OCSP status of the signing certificates; each added identity is tracked there.</param>
    /// <param name="time">The clock for signing times and OCSP freshness; the system clock by default.</param>
    /// <param name="options">Batch and queue limits; defaults when null.</param>
    public BatchingSigner(OcspStatusManager ocsp, TimeProvider? time = null, BatchingSignerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(ocsp);
        options ??= BatchingSignerOptions.Default;
        options.Validate();
        _ocsp = ocsp;
        _time = time ?? TimeProvider.System;
        _options = options;
    }

    /// <summary>Batches signed so far (one private-key operation each).</summary>
    public long BatchCount => Interlocked.Read(ref _batches);

    /// <summary>Messages signed in batches so far.</summary>
    public long BatchedSignatureCount => Interlocked.Read(ref _batchedSignatures);

    /// <summary>Detached signatures made so far.</summary>
    public long DetachedSignatureCount => Interlocked.Read(ref _detachedSignatures);

    /// <summary>
    /// Whether the key token is logged in (default true). While false, every <see cref="SignAsync"/> and
    /// <see cref="SignDetachedAsync"/> fails at once with <see cref="SignFailure.TokenNotActive"/>, and requests
    /// already queued fail the same way instead of being signed: a logged-out token signs nothing.
    /// The host sets it from the token's status.
    /// </summary>
    public bool TokenActive
    {
        get => _tokenActive;
        set => _tokenActive = value;
    }

    /// <summary>The members that have a signing key here.</summary>
    public IReadOnlyList<MemberId> Members
    {
        get
        {
            lock (_gate)
            {
                return [.. _workers.Keys];
            }
        }
    }

    /// <summary>
    /// Starts signing for <paramref name="identity"/>'s member with it, and tracks its certificate's OCSP
    /// status. The signer owns the identity from now on. An identity already there for the member is
    /// retired: requests it has queued are still signed with it, then it is disposed.
    /// </summary>
    public void AddOrReplace(SigningIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _ocsp.Track(identity.Certificate, identity.Chain);
            var worker = new KeyWorker(identity, _ocsp, _time, _options, this);
            if (_workers.Remove(identity.Member, out var old))
            {
                Retire(old);
            }

            _workers[identity.Member] = worker;
        }
    }

    /// <summary>Stops signing for <paramref name="member"/>; queued requests are still signed. False when it had no key.</summary>
    public bool Remove(MemberId member)
    {
        ArgumentNullException.ThrowIfNull(member);
        lock (_gate)
        {
            if (!_workers.Remove(member, out var old))
            {
                return false;
            }

            Retire(old);
            return true;
        }
    }

    /// <summary>True when <paramref name="member"/> has a signing key here (whatever its OCSP status).</summary>
    public bool HasKey(MemberId member)
    {
        ArgumentNullException.ThrowIfNull(member);
        lock (_gate)
        {
            return _workers.ContainsKey(member);
        }
    }

    /// <summary>
    /// Signs a message digest for <paramref name="member"/> as part of the next batch of its key.
    /// </summary>
    /// <param name="member">Whose key signs.</param>
    /// <param name="digest">The message digest, 32 to 64 bytes (SHA-256 to SHA-512); copied, so the caller may reuse the buffer.</param>
    /// <param name="cancellationToken">Cancels waiting; a request cancelled while queued is not signed.</param>
    /// <exception cref="ArgumentException">The digest is not 32 to 64 bytes (a bug in the caller).</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled before the result was ready.</exception>
    public ValueTask<SignResult> SignAsync(MemberId member, ReadOnlyMemory<byte> digest, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(member);
        if (digest.Length is < MinDigestLength or > MaxDigestLength)
        {
            throw new ArgumentException($"A message digest is {MinDigestLength} to {MaxDigestLength} bytes, not {digest.Length}.", nameof(digest));
        }

        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<SignResult>(cancellationToken);
        }

        if (!_tokenActive)
        {
            return ValueTask.FromResult(SignResult.Fail(SignFailure.TokenNotActive, Describe(SignFailure.TokenNotActive, member)));
        }

        var completion = new TaskCompletionSource<SignResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var rejected = Enqueue(member, new WorkItem(digest.ToArray(), completion, null));
        if (rejected is { } failure)
        {
            return ValueTask.FromResult(SignResult.Fail(failure, Describe(failure, member)));
        }

        return cancellationToken.CanBeCanceled ? AwaitAsync(completion, cancellationToken) : new ValueTask<SignResult>(completion.Task);
    }

    /// <summary>
    /// Makes a plain detached CMS signature over <paramref name="content"/> with <paramref name="member"/>'s
    /// key (for message-log checkpoints, whose verifiers expect ordinary CMS). Goes through the key's queue,
    /// so it is ordered with batch signing and subject to the same OCSP check.
    /// </summary>
    /// <param name="member">Whose key signs.</param>
    /// <param name="content">The exact bytes to sign; copied, so the caller may reuse the buffer.</param>
    /// <param name="cancellationToken">Cancels waiting.</param>
    public ValueTask<DetachedSignResult> SignDetachedAsync(MemberId member, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(member);
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<DetachedSignResult>(cancellationToken);
        }

        if (!_tokenActive)
        {
            return ValueTask.FromResult(DetachedSignResult.Fail(SignFailure.TokenNotActive, Describe(SignFailure.TokenNotActive, member)));
        }

        var completion = new TaskCompletionSource<DetachedSignResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var rejected = Enqueue(member, new WorkItem(content.ToArray(), null, completion));
        if (rejected is { } failure)
        {
            return ValueTask.FromResult(DetachedSignResult.Fail(failure, Describe(failure, member)));
        }

        return cancellationToken.CanBeCanceled ? AwaitAsync(completion, cancellationToken) : new ValueTask<DetachedSignResult>(completion.Task);
    }

    /// <summary>Stops accepting requests, signs what is queued, and disposes the identities.</summary>
    public async ValueTask DisposeAsync()
    {
        List<Task> pending;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            foreach (var worker in _workers.Values)
            {
                Retire(worker);
            }

            _workers.Clear();
            pending = [.. _retired];
        }

        await Task.WhenAll(pending).ConfigureAwait(false);
    }

    internal void CountBatch(int size)
    {
        Interlocked.Increment(ref _batches);
        Interlocked.Add(ref _batchedSignatures, size);
    }

    internal void CountDetached() => Interlocked.Increment(ref _detachedSignatures);

    private static async ValueTask<T> AwaitAsync<T>(TaskCompletionSource<T> completion, CancellationToken cancellationToken)
    {
        using var registration = cancellationToken.Register(static state => ((TaskCompletionSource<T>)state!).TrySetCanceled(), completion);
        return await completion.Task.ConfigureAwait(false);
    }

    internal static string Describe(SignFailure failure, MemberId member) => failure switch
    {
        SignFailure.TokenNotActive => "the key token is logged out",
        SignFailure.NoSigningKey => $"no signing key is loaded for {member}",
        SignFailure.Overloaded => $"the signing queue of {member} is full",
        _ => $"signing for {member} failed",
    };

    private SignFailure? Enqueue(MemberId member, WorkItem item)
    {
        // A worker found here may be retired before the write; then the member's new worker (if any)
        // takes the request. Bounded: a retirement needs a replacement under the lock, so this settles at once.
        for (var attempt = 0; attempt < 8; attempt++)
        {
            KeyWorker? worker;
            lock (_gate)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                _workers.TryGetValue(member, out worker);
            }

            if (worker is null)
            {
                return SignFailure.NoSigningKey;
            }

            switch (worker.TryEnqueue(item))
            {
                case EnqueueOutcome.Accepted:
                    return null;
                case EnqueueOutcome.Full:
                    return SignFailure.Overloaded;
            }
        }

        return SignFailure.NoSigningKey;
    }

    private void Retire(KeyWorker worker)
    {
        worker.Close();
        _retired.RemoveAll(t => t.IsCompleted);
        _retired.Add(worker.Completion);
    }
}
