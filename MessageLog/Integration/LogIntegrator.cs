using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using ExchangeGateway.Common.Crypto.Merkle;
using ExchangeGateway.Common.Crypto.TimeStamping;
using ExchangeGateway.Common.Crypto.X509;
using ExchangeGateway.MessageLog.Records;
using ExchangeGateway.MessageLog.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace ExchangeGateway.MessageLog.Integration;

/// <summary>
/// Integrates committed records into the RFC 6962 tree and publishes signed, time-stamped checkpoints:
/// the second half of "sequence durably first, integrate and publish later".
/// </summary>
/// <remarks>
/// <para>
/// Each pass reads the leaf hashes above the tree size in sequence order and appends them. When the tree
/// grew since the newest checkpoint, it makes one (<see cref="Checkpoint"/>), has the host sign its
/// canonical bytes (detached CMS by the server's signing key), stores it, and asks one approved TSA for
/// one RFC 3161 time-stamp over SHA-256 of that signature. The TSA load is one request per checkpoint,
/// whatever the message rate. TSAs are tried in the order global configuration lists them.
/// </para>
/// <para>
/// While time-stamping fails, passes back off (doubling up to <see cref="LogIntegratorOptions.MaxRetryDelay"/>).
/// When a TSA answers again, one stamp over the newest checkpoint covers the whole backlog: that tree
/// contains every earlier leaf. Earlier checkpoints of the outage stay signed but unstamped.
/// </para>
/// <para>
/// The tree is kept as its frontier (O(log n) hashes), stored beside each checkpoint, so a restart
/// resumes from the newest checkpoint after checking the frontier against its root.
/// </para>
/// </remarks>
public sealed class LogIntegrator : IDisposable
{
    private readonly MessageLogStore _store;
    private readonly LogIntegratorOptions _options;
    private readonly Func<byte[], CancellationToken, Task<byte[]>> _sign;
    private readonly Func<IReadOnlyList<TsaEndpoint>> _timeStampingAuthorities;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly TimeStampVerifier _verifier;
    private readonly ConcurrentDictionary<(Uri Url, string Thumbprint), (TimeStampClient Client, TimeStampTrust Trust)> _clients = new();
    private readonly SemaphoreSlim _pass = new(1, 1);
    private MerkleFrontier? _frontier;
    private int _stampFailures;

    /// <summary>Creates an integrator for <paramref name="store"/>.</summary>
    /// <param name="store">The log.</param>
    /// <param name="options">Server id, intervals, limits; validated here.</param>
    /// <param name="sign">Makes a detached CMS signature over the given checkpoint bytes with the server's signing key.</param>
    /// <param name="timeStampingAuthorities">The approved TSAs of the global configuration in force, in order of preference; read on every attempt.</param>
    /// <param name="time">The clock.</param>
    /// <param name="logger">Where failures are reported.</param>
    /// <param name="http">The HttpClient for TSA requests; one is created (and disposed with the integrator) when null.</param>
    public LogIntegrator(
        MessageLogStore store,
        LogIntegratorOptions options,
        Func<byte[], CancellationToken, Task<byte[]>> sign,
        Func<IReadOnlyList<TsaEndpoint>> timeStampingAuthorities,
        TimeProvider time,
        ILogger logger,
        HttpClient? http = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(sign);
        ArgumentNullException.ThrowIfNull(timeStampingAuthorities);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        options.Validate();
        _store = store;
        _options = options;
        _sign = sign;
        _timeStampingAuthorities = timeStampingAuthorities;
        _time = time;
        _logger = logger;
        _ownsHttp = http is null;
        _http = http ?? new HttpClient();
        _verifier = new TimeStampVerifier(time);
    }

    /// <summary>Leaves integrated so far (0 before the first pass).</summary>
    public long TreeSize => _frontier?.Size ?? 0;

    /// <summary>The root of the integrated tree.</summary>
    public MerkleHash RootHash => _frontier?.RootHash ?? MerkleHasher.EmptyRoot;

    /// <summary>
    /// Runs passes until <paramref name="cancellationToken"/> is cancelled: one every
    /// <see cref="LogIntegratorOptions.CheckpointInterval"/>, backing off while a pass fails.
    /// Returns normally on cancellation.
    /// </summary>
    /// <exception cref="InvalidDataException">The stored tree contradicts its checkpoint (tampering or corruption): integration stops, and the log fails closed once the period passes.</exception>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var failures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            IntegrationResult result;
            try
            {
                result = await IntegrateOnceAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not InvalidDataException and not OutOfMemoryException)
            {
                // A bug must not end integration for good: that would stop the server after the period.
                MessageLogEvents.IntegratorBug(_logger, ex);
                result = new IntegrationResult(TreeSize, null, null, ex.Message);
            }

            failures = result.Failed ? failures + 1 : 0;
            try
            {
                await Task.Delay(NextDelay(failures), _time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>
    /// One pass: integrate new leaves, make a checkpoint when the tree grew, and time-stamp the newest
    /// checkpoint when it is not yet stamped. Failures of signing, storage and time-stamping are values.
    /// </summary>
    /// <exception cref="InvalidDataException">The stored tree contradicts its checkpoint, or the sequence has a gap.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<IntegrationResult> IntegrateOnceAsync(CancellationToken cancellationToken = default)
    {
        await _pass.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await PassAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _pass.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _pass.Dispose();
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    private async Task<IntegrationResult> PassAsync(CancellationToken cancellationToken)
    {
        StoredCheckpoint? newest;
        try
        {
            newest = Integrate();
        }
        catch (SqliteException ex)
        {
            return new IntegrationResult(TreeSize, null, null, $"reading the log failed: {ex.Message}");
        }

        var frontier = _frontier!;
        long? created = null;
        if (frontier.Size > (newest?.TreeSize ?? 0))
        {
            var made = await CreateCheckpointAsync(frontier, cancellationToken).ConfigureAwait(false);
            if (made.Checkpoint is null)
            {
                return new IntegrationResult(frontier.Size, null, null, made.Failure);
            }

            newest = made.Checkpoint;
            created = newest.TreeSize;
        }

        if (newest is null || newest.Token is not null)
        {
            return new IntegrationResult(frontier.Size, created, null, null);
        }

        var failure = await StampAsync(newest, cancellationToken).ConfigureAwait(false);
        return new IntegrationResult(frontier.Size, created, failure is null ? newest.TreeSize : null, failure);
    }

    // Appends every committed leaf above the tree size; returns the newest stored checkpoint.
    private StoredCheckpoint? Integrate()
    {
        StoredCheckpoint? newest;
        if (_frontier is null)
        {
            var stored = _store.NewestCheckpointWithFrontier();
            newest = stored?.Checkpoint;
            _frontier = Restore(stored);
        }
        else
        {
            newest = _store.GetLatestCheckpoint();
        }

        var frontier = _frontier;
        while (true)
        {
            var leaves = _store.ReadLeaves(frontier.Size, _options.ReadBatch);
            foreach (var (sequence, leaf) in leaves)
            {
                // Leaf i of the tree is record i + 1: a gap would silently shift every later leaf.
                if (sequence != frontier.Size + 1)
                {
                    throw new InvalidDataException(
                        $"Message log record {(frontier.Size + 1).ToString(CultureInfo.InvariantCulture)} is missing (next is {sequence.ToString(CultureInfo.InvariantCulture)}). Run the verifier.");
                }

                frontier.Append(leaf);
            }

            if (leaves.Count < _options.ReadBatch)
            {
                return newest;
            }
        }
    }

    private static MerkleFrontier Restore((StoredCheckpoint Checkpoint, byte[] Frontier)? stored)
    {
        if (stored is not { } s)
        {
            return new MerkleFrontier();
        }

        var size = s.Checkpoint.TreeSize;
        if (!MerkleFrontier.TryRestore(size, s.Frontier, out var frontier) || frontier.RootHash != s.Checkpoint.RootHash)
        {
            throw new InvalidDataException(
                $"The stored tree frontier of checkpoint {size.ToString(CultureInfo.InvariantCulture)} does not produce its root. Run the verifier.");
        }

        return frontier;
    }

    private async Task<(StoredCheckpoint? Checkpoint, string? Failure)> CreateCheckpointAsync(MerkleFrontier frontier, CancellationToken cancellationToken)
    {
        var checkpoint = new Checkpoint(_options.ServerId.ToString(), frontier.Size, frontier.RootHash, LogTime.Truncate(_time.GetUtcNow()));
        var content = checkpoint.Encode();
        byte[] signature;
        try
        {
            signature = await _sign(content, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The signer is the host's (a key store, an HSM): whatever it throws is its failure, retried.
            MessageLogEvents.SignFailed(_logger, checkpoint.TreeSize, ex);
            return (null, $"signing the checkpoint failed: {ex.Message}");
        }

        var stored = new StoredCheckpoint(checkpoint.TreeSize, checkpoint.RootHash, checkpoint.CreatedAt, content, signature, null, null, null);
        var result = await _store.AddCheckpointAsync(stored, frontier.ToBytes(), cancellationToken).ConfigureAwait(false);
        if (!result.IsSuccess)
        {
            MessageLogEvents.CheckpointStoreFailed(_logger, checkpoint.TreeSize, result.Message!);
            return (null, $"storing the checkpoint failed: {result.Message}");
        }

        MessageLogEvents.CheckpointCreated(_logger, checkpoint.TreeSize);
        return (stored, null);
    }

    // One time-stamp request per attempt at each approved TSA in turn, until one answers.
    private async Task<string?> StampAsync(StoredCheckpoint checkpoint, CancellationToken cancellationToken)
    {
        var endpoints = _timeStampingAuthorities();
        if (endpoints.Count == 0)
        {
            MessageLogEvents.NoTsa(_logger, checkpoint.TreeSize);
            _stampFailures++;
            return "no approved time-stamping authority is configured";
        }

        var imprint = SHA256.HashData(checkpoint.Signature.Span);
        string? failure = null;
        foreach (var endpoint in endpoints)
        {
            var (client, trust) = ClientFor(endpoint);
            var url = endpoint.Url.ToString();
            var stamp = await client.RequestAsync(imprint, HashAlgorithmName.SHA256, trust, cancellationToken).ConfigureAwait(false);
            if (!stamp.IsValid)
            {
                failure = stamp.ToString();
                MessageLogEvents.StampFailed(_logger, checkpoint.TreeSize, url, failure);
                continue;
            }

            var stored = await _store.SetStampAsync(checkpoint, stamp.Value.Token, stamp.Value.Info.GenTime, url, cancellationToken).ConfigureAwait(false);
            if (!stored.IsSuccess)
            {
                MessageLogEvents.CheckpointStoreFailed(_logger, checkpoint.TreeSize, stored.Message!);
                _stampFailures++;
                return $"storing the time-stamp failed: {stored.Message}";
            }

            if (_stampFailures > 0)
            {
                MessageLogEvents.StampRecovered(_logger, checkpoint.TreeSize, url, _stampFailures);
                _stampFailures = 0;
            }
            else
            {
                MessageLogEvents.Stamped(_logger, checkpoint.TreeSize, url, stamp.Value.Info.GenTime);
            }

            return null;
        }

        _stampFailures++;
        return failure;
    }

    private (TimeStampClient Client, TimeStampTrust Trust) ClientFor(TsaEndpoint endpoint) =>
        _clients.GetOrAdd((endpoint.Url, endpoint.Certificate.Thumbprint), _ =>
        {
            var client = new TimeStampClient(
                _http,
                _verifier,
                new TimeStampClientOptions { Endpoint = endpoint.Url, Timeout = _options.TsaTimeout, PolicyOid = _options.TsaPolicyOid },
                _time);

            // Global configuration lists each approved TSA with its certificate: that certificate is the
            // trust anchor, and the token must be signed by it.
            var trust = new TimeStampTrust(new CertificateValidator([endpoint.Certificate], clockSkew: _options.ClockSkew), [endpoint.Certificate]);
            return (client, trust);
        });

    private TimeSpan NextDelay(int failures)
    {
        if (failures == 0)
        {
            return _options.CheckpointInterval;
        }

        var delay = _options.CheckpointInterval * Math.Pow(2, Math.Min(failures - 1, 20));
        return delay < _options.MaxRetryDelay ? delay : _options.MaxRetryDelay;
    }
}
