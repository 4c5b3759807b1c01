using System.Net;
using ExchangeGateway.Common.Results;
using ExchangeGateway.Config.Anchors;
using ExchangeGateway.Config.Model;
using ExchangeGateway.Config.Signing;
using ExchangeGateway.Config.Verification;

namespace ExchangeGateway.Config.Client;

/// <summary>
/// Keeps a security server's global configuration current: downloads the signed configuration from
/// the anchor's URLs (in order), verifies it (<see cref="ConfigurationVerifier"/>), persists the last
/// good copy atomically, and swaps the immutable snapshot so each reader sees one consistent version.
/// Failures keep the last good copy and back off exponentially; past expiry <see cref="TryGetValid(out GlobalConfiguration)"/>
/// returns false so every consumer fails closed. All time and every delay come from the TimeProvider.
/// Not an <c>IHostedService</c> itself (that would tie this library to the ASP.NET shared framework);
/// a host runs <see cref="RunAsync"/> from a <c>BackgroundService</c>.
/// </summary>
public sealed class ConfigurationClient : IDisposable
{
    /// <summary>The file (an envelope, see <see cref="SignedConfigurationEnvelope"/>) holding the last good copy.</summary>
    public const string FileName = "globalconf.signed.json";

    private const int ReadChunkBytes = 64 * 1024;
    private static readonly TimeSpan DefaultPollInterval = TimeSpan.FromSeconds(60);

    private volatile ConfigurationAnchor _anchor;
    private readonly HttpClient _http;
    private readonly ConfigurationClientOptions _options;
    private readonly TimeProvider _time;
    private readonly ConfigurationVerifier _verifier;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile Snapshot? _current;
    private volatile ConfigurationStatus _status = new();

    /// <summary>Creates a client; nothing is read or downloaded until <see cref="LoadPersisted"/>, <see cref="PollOnceAsync"/> or <see cref="RunAsync"/>.</summary>
    /// <param name="anchor">The trust anchor (instance, download URLs, pinned signing certificates).</param>
    /// <param name="httpClient">The client used for downloads; owned by the caller.</param>
    /// <param name="options">Storage, timeouts, back-off and limits.</param>
    /// <param name="time">The clock; the system clock by default.</param>
    public ConfigurationClient(ConfigurationAnchor anchor, HttpClient httpClient, ConfigurationClientOptions options, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(anchor);
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Serialization.ConfigurationRules.Validate(anchor);
        _anchor = anchor;
        _http = httpClient;
        _options = options;
        _time = time ?? TimeProvider.System;
        _verifier = new ConfigurationVerifier(new ConfigurationVerifierOptions { MaxContentBytes = options.MaxContentBytes, ClockSkew = options.ClockSkew });
    }

    /// <summary>The anchor in use: the one given at construction or the last <see cref="ReplaceAnchor"/>.</summary>
    public ConfigurationAnchor Anchor => _anchor;

    /// <summary>The held configuration, possibly expired; use <see cref="TryGetValid(out GlobalConfiguration)"/> to decide anything.</summary>
    public GlobalConfiguration? Current => _current?.Configuration;

    /// <summary>The held configuration's signed form, as downloaded.</summary>
    public SignedConfiguration? CurrentSigned => _current?.Signed;

    /// <summary>The client's state for health checks.</summary>
    public ConfigurationStatus Status => _status;

    /// <summary>The largest HTTP response body accepted; anything longer is cut off while streaming.</summary>
    public long MaxResponseBytes => SignedConfigurationEnvelope.MaxEnvelopeBytes(_options.MaxContentBytes);

    private string FilePath => Path.Combine(_options.StorageDirectory, FileName);

    /// <summary>The held configuration when it has not expired at the TimeProvider's now; false means fail closed.</summary>
    public bool TryGetValid(out GlobalConfiguration configuration) => TryGetValid(_time.GetUtcNow(), out configuration);

    /// <summary>The held configuration when it has not expired at <paramref name="now"/>; false means fail closed.</summary>
    public bool TryGetValid(DateTimeOffset now, out GlobalConfiguration configuration)
    {
        var current = _current;
        if (current is not null && !current.Configuration.IsExpired(now))
        {
            configuration = current.Configuration;
            return true;
        }

        configuration = null!;
        return false;
    }

    /// <summary>
    /// Loads the persisted last good copy, if there is one and it still verifies against the anchor
    /// (an expired copy is loaded too: it keeps the held serial for rollback detection, and
    /// <see cref="TryGetValid(out GlobalConfiguration)"/> still refuses it). True when a copy was loaded.
    /// </summary>
    public bool LoadPersisted()
    {
        _gate.Wait();
        try
        {
            var info = new FileInfo(FilePath);
            if (!info.Exists)
            {
                return false;
            }

            if (info.Length > MaxResponseBytes)
            {
                RecordFailure(TrustFailure.DocumentTooLarge, "the persisted configuration is larger than the limit", attempt: false);
                return false;
            }

            var envelope = SignedConfigurationEnvelope.Read(File.ReadAllBytes(info.FullName), _options.MaxContentBytes);
            if (!envelope.Success)
            {
                RecordFailure(TrustFailure.Malformed, $"persisted copy: {envelope.Message}", attempt: false);
                return false;
            }

            var verified = _verifier.Verify(envelope.Value, _anchor, held: Held(), _time.GetUtcNow(), checkExpiry: false);
            if (!verified.IsValid)
            {
                RecordFailure(verified.Failure.Value, $"persisted copy: {verified.Message}", attempt: false);
                return false;
            }

            Swap(new Snapshot(verified.Value, envelope.Value), _anchor);
            return true;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Downloads, verifies and, when newer, persists and swaps in the configuration. Tries the anchor's
    /// URLs in order until one verifies. Never throws for network or content failures: they come back
    /// as the result and in <see cref="Status"/>, and the last good copy stays.
    /// </summary>
    public async Task<VerificationResult<GlobalConfiguration>> PollOnceAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var attemptAt = _time.GetUtcNow();
            _status = _status with { LastAttempt = attemptAt, Attempts = _status.Attempts + 1 };
            VerificationResult<GlobalConfiguration> result = default;
            var anchor = _anchor;
            foreach (var url in anchor.DownloadUrls)
            {
                result = await TryUrlAsync(anchor, new Uri(url), cancellationToken).ConfigureAwait(false);
                if (result.IsValid)
                {
                    return result;
                }
            }

            RecordFailure(result.Failure!.Value, result.Message!, attempt: true);
            return result;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Loads the persisted copy, then polls until cancelled: after a success it waits the poll interval,
    /// after a failure <c>MinRetryDelay × 2^(failures−1)</c>, capped at <c>MaxRetryDelay</c>.
    /// Returns when <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (_current is null)
        {
            LoadPersisted();
        }

        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var result = await PollOnceAsync(cancellationToken).ConfigureAwait(false);
                var delay = result.IsValid ? PollInterval() : RetryDelay(_status.ConsecutiveFailures);
                _status = _status with { NextAttemptAt = _time.GetUtcNow() + delay };
                await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
        }

        _status = _status with { NextAttemptAt = null };
    }

    /// <summary>
    /// Uses <paramref name="anchor"/> from the next download on (an operator uploaded a new anchor, e.g. after
    /// the central authority rotated its signing key or moved). It must be valid and for the same instance:
    /// throws <see cref="ArgumentException"/> otherwise and keeps the old one. The held configuration stays
    /// until a download verified against the new anchor replaces it.
    /// </summary>
    public void ReplaceAnchor(ConfigurationAnchor anchor)
    {
        ArgumentNullException.ThrowIfNull(anchor);
        Serialization.ConfigurationRules.Validate(anchor);
        if (!string.Equals(anchor.InstanceId, _anchor.InstanceId, StringComparison.Ordinal))
        {
            throw new ArgumentException($"The anchor is for instance {anchor.InstanceId}, not {_anchor.InstanceId}.", nameof(anchor));
        }

        _anchor = anchor;
    }

    /// <summary>The delay after <paramref name="consecutiveFailures"/> failures (at least one).</summary>
    public TimeSpan RetryDelay(int consecutiveFailures)
    {
        var exponent = Math.Clamp(consecutiveFailures - 1, 0, 30);
        var ticks = Math.Min((double)_options.MinRetryDelay.Ticks * Math.Pow(2, exponent), _options.MaxRetryDelay.Ticks);
        return TimeSpan.FromTicks((long)ticks);
    }

    /// <inheritdoc />
    public void Dispose() => _gate.Dispose();

    private TimeSpan PollInterval() => _options.PollInterval ?? _current?.Configuration.Settings.RefreshInterval ?? DefaultPollInterval;

    private HeldConfiguration? Held() => _current is { } c ? HeldConfiguration.From(c.Configuration, c.Signed) : null;

    private async Task<VerificationResult<GlobalConfiguration>> TryUrlAsync(ConfigurationAnchor anchor, Uri url, CancellationToken cancellationToken)
    {
        var download = await DownloadAsync(url, cancellationToken).ConfigureAwait(false);
        if (!download.IsValid)
        {
            return VerificationResult<GlobalConfiguration>.Fail(download.Failure.Value, download.Message);
        }

        var envelope = SignedConfigurationEnvelope.Read(download.Value, _options.MaxContentBytes);
        if (!envelope.Success)
        {
            return VerificationResult<GlobalConfiguration>.Fail(TrustFailure.Malformed, $"{url}: {envelope.Message}");
        }

        var now = _time.GetUtcNow();
        var held = Held();
        var verified = _verifier.Verify(envelope.Value, anchor, held, now);
        if (!verified.IsValid)
        {
            return VerificationResult<GlobalConfiguration>.Fail(verified.Failure.Value, $"{url}: {verified.Message}");
        }

        string? persistError = null;
        if (held is null || held.Serial != verified.Value.Serial)
        {
            try
            {
                Persist(SignedConfigurationEnvelope.Write(envelope.Value));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The verified copy is still safe to use; only a restart would lose it.
                persistError = $"verified serial {verified.Value.Serial} but could not persist it: {ex.Message}";
            }

            Swap(new Snapshot(verified.Value, envelope.Value), anchor);
        }

        _status = _status with
        {
            LastSuccess = now,
            LastError = persistError,
            LastFailure = null,
            ConsecutiveFailures = 0,
        };
        return verified;
    }

    private async Task<VerificationResult<byte[]>> DownloadAsync(Uri url, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(_options.RequestTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return VerificationResult<byte[]>.Fail(TrustFailure.ServiceUnavailable, $"{url}: HTTP {(int)response.StatusCode}");
            }

            var max = MaxResponseBytes;
            if (response.Content.Headers.ContentLength is { } declared && declared > max)
            {
                // Refused on the header alone; disposing the response drops the connection unread.
                return VerificationResult<byte[]>.Fail(TrustFailure.DocumentTooLarge, $"{url}: the response declares {declared} bytes, more than the limit of {max}");
            }

            var stream = await response.Content.ReadAsStreamAsync(linked.Token).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                return await ReadBoundedAsync(stream, max, url, linked.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return VerificationResult<byte[]>.Fail(TrustFailure.ServiceUnavailable, $"{url}: no complete response within {_options.RequestTimeout}");
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            return VerificationResult<byte[]>.Fail(TrustFailure.ServiceUnavailable, $"{url}: {ex.Message}");
        }
    }

    private static async Task<VerificationResult<byte[]>> ReadBoundedAsync(Stream stream, long max, Uri url, CancellationToken cancellationToken)
    {
        // Fixed-size chunks: memory grows with what was actually received, never beyond max + one chunk.
        var chunks = new List<byte[]>();
        long total = 0;
        while (true)
        {
            var chunk = new byte[ReadChunkBytes];
            var filled = 0;
            while (filled < chunk.Length)
            {
                var read = await stream.ReadAsync(chunk.AsMemory(filled), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                filled += read;
                total += read;
                if (total > max)
                {
                    await AbortAsync(stream).ConfigureAwait(false);
                    return VerificationResult<byte[]>.Fail(TrustFailure.DocumentTooLarge, $"{url}: the response is longer than the limit of {max} bytes");
                }
            }

            if (filled > 0)
            {
                chunks.Add(filled == chunk.Length ? chunk : chunk[..filled]);
            }

            if (filled < chunk.Length)
            {
                break;
            }
        }

        var body = new byte[total];
        var offset = 0;
        foreach (var c in chunks)
        {
            c.CopyTo(body, offset);
            offset += c.Length;
        }

        return VerificationResult<byte[]>.Ok(body);
    }

    /// <summary>
    /// Drops the connection instead of letting the handler drain the rest of an oversized body (it may
    /// read on to reuse the connection): a read cancelled while pending makes SocketsHttpHandler close it.
    /// </summary>
    private static async Task AbortAsync(Stream stream)
    {
        using var abort = new CancellationTokenSource();
        var buffer = new byte[ReadChunkBytes];
        for (var i = 0; i < 64; i++)
        {
            var pending = stream.ReadAsync(buffer, abort.Token);
            if (!pending.IsCompleted)
            {
                await abort.CancelAsync().ConfigureAwait(false);
            }

            try
            {
                if (await pending.ConfigureAwait(false) == 0)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException or HttpRequestException)
            {
                return;
            }
        }
    }

    private void Persist(byte[] envelope)
    {
        // Write a temporary file, flush it to the disk, then rename over the old copy: a crash leaves
        // either the old or the new file, never a torn one (rename is atomic within a directory).
        Directory.CreateDirectory(_options.StorageDirectory);
        var temporary = FilePath + ".tmp";
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            file.Write(envelope);
            file.Flush(flushToDisk: true);
        }

        File.Move(temporary, FilePath, overwrite: true);
    }

    private void Swap(Snapshot snapshot, ConfigurationAnchor anchor)
    {
        _current = snapshot;
        _status = _status with
        {
            Serial = snapshot.Configuration.Serial,
            GeneratedAt = snapshot.Configuration.GeneratedAt,
            ValidUntil = snapshot.Configuration.ExpiresAt,
        };
        _options.Verified?.Invoke(snapshot.Signed, snapshot.Configuration, anchor);
    }

    private void RecordFailure(TrustFailure failure, string message, bool attempt) =>
        _status = _status with
        {
            LastError = message,
            LastFailure = failure,
            ConsecutiveFailures = attempt ? _status.ConsecutiveFailures + 1 : _status.ConsecutiveFailures,
        };

    private sealed record Snapshot(GlobalConfiguration Configuration, SignedConfiguration Signed);
}
