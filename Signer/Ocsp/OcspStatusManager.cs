using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ExchangeGateway.Common.Crypto.Ocsp;
using ExchangeGateway.Common.Crypto.X509;
using ExchangeGateway.Common.Results;
using ExchangeGateway.Signer.Keys;

namespace ExchangeGateway.Signer.Ocsp;

/// <summary>
/// Keeps a verified, fresh OCSP response (RFC 6960) for each of the server's own certificates, to
/// staple to signatures and to decide whether a key may sign at all. For each tracked certificate it
/// fetches the status from the responders that global configuration names for the issuing CA (or the
/// certificate's AIA URL), verifies it with <see cref="OcspResponseVerifier"/>, keeps the DER, and
/// refreshes it in the background at <see cref="OcspStatusManagerOptions.RefreshFraction"/> of the
/// freshness limit after thisUpdate. When the responder is down it retries with bounded exponential
/// back-off and keeps the last response until that is no longer fresh; from then on
/// <see cref="IsGood(X509Certificate2, DateTimeOffset)"/> is false and nothing signs (fail closed). An
/// authentic "revoked" or "unknown" replaces a "good" at once. The last verified response of each
/// certificate is persisted, so a restart staples at once. Failures are values in
/// <see cref="States"/>, never exceptions. Thread-safe. Not an <c>IHostedService</c>: a host runs
/// <see cref="RunAsync"/> from a <c>BackgroundService</c>.
/// </summary>
public sealed class OcspStatusManager : IDisposable
{
    /// <summary>Suffix of persisted responses: <c>{sha256 of the certificate}.ocsp.der</c>.</summary>
    public const string FileSuffix = ".ocsp.der";

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly OcspClient _client;
    private readonly OcspStatusManagerOptions _options;
    private readonly TimeProvider _time;
    private readonly CertificateCache _certificates = new(256);
    private readonly SemaphoreSlim _refreshGate = new(1, 1);
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly Lock _trackLock = new();
    private long _attempts;

    /// <summary>Creates a manager; nothing is fetched until <see cref="RefreshAsync(CancellationToken)"/> or <see cref="RunAsync"/>.</summary>
    /// <param name="httpClient">The client for the responders; owned by the caller.</param>
    /// <param name="options">Storage, responders, freshness, timeouts and back-off.</param>
    /// <param name="time">The clock; the system clock by default.</param>
    public OcspStatusManager(HttpClient httpClient, OcspStatusManagerOptions options, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _time = time ?? TimeProvider.System;
        _client = new OcspClient(httpClient, _time);
        Directory.CreateDirectory(options.StorageDirectory);
    }

    /// <summary>The state of every tracked certificate.</summary>
    public IReadOnlyList<OcspCertificateState> States => [.. _entries.Values.Select(e => e.State).OrderBy(s => s.Subject, StringComparer.Ordinal)];

    /// <summary>Fetch attempts so far, over all certificates (successful or not).</summary>
    public long Attempts => Interlocked.Read(ref _attempts);

    /// <summary>
    /// Starts keeping the status of <paramref name="certificate"/>. Loads its persisted response when
    /// that still verifies (any status: a persisted "revoked" must not be forgotten by a restart).
    /// Tracking the same certificate again only counts a reference; each <see cref="Track"/> needs one
    /// <see cref="Untrack"/>. The manager keeps its own copies of the certificates.
    /// </summary>
    /// <param name="certificate">One of our certificates.</param>
    /// <param name="chain">Its issuing chain; must contain the issuer.</param>
    /// <returns>True when a persisted response was loaded.</returns>
    /// <exception cref="ArgumentException">The chain does not contain the certificate's issuer.</exception>
    public bool Track(X509Certificate2 certificate, IReadOnlyList<X509Certificate2> chain)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(chain);
        var key = KeyOf(certificate);
        bool loaded;
        lock (_trackLock)
        {
            if (_entries.TryGetValue(key, out var existing))
            {
                existing.References++;
                return existing.Stapled is not null;
            }

            var issuer = chain.FirstOrDefault(c => IsIssuerOf(c, certificate))
                ?? throw new ArgumentException($"The chain of '{certificate.Subject}' does not contain its issuer '{certificate.Issuer}'.", nameof(chain));
            var entry = new Entry(
                key,
                X509CertificateLoader.LoadCertificate(certificate.RawDataMemory.Span),
                X509CertificateLoader.LoadCertificate(issuer.RawDataMemory.Span),
                [.. chain.Select(c => X509CertificateLoader.LoadCertificate(c.RawDataMemory.Span))]);
            var now = _time.GetUtcNow();
            entry.State = new OcspCertificateState { Subject = certificate.Subject, CertificateSha256 = key, NextAttemptAt = now };
            loaded = LoadPersisted(entry, now);
            _entries[key] = entry;
        }

        Wake();
        return loaded;
    }

    /// <summary>Stops keeping the status of <paramref name="certificate"/> once every <see cref="Track"/> of it is undone.</summary>
    public bool Untrack(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        lock (_trackLock)
        {
            if (!_entries.TryGetValue(KeyOf(certificate), out var entry))
            {
                return false;
            }

            if (--entry.References > 0)
            {
                return true;
            }

            // The copies are not disposed: a refresh in flight may still use them; the GC releases them.
            return _entries.TryRemove(entry.Key, out _);
        }
    }

    /// <summary>The held response of <paramref name="certificate"/>, whatever its status and age; false when there is none.</summary>
    public bool TryGetStapled(X509Certificate2 certificate, out OcspStapled stapled)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        if (_entries.TryGetValue(KeyOf(certificate), out var entry) && entry.Stapled is { } s)
        {
            stapled = s;
            return true;
        }

        stapled = null!;
        return false;
    }

    /// <summary>True when the held response says good and is still fresh at <paramref name="now"/>.</summary>
    public bool IsGood(X509Certificate2 certificate, DateTimeOffset now) => TryGetGood(certificate, now, out _);

    /// <summary>True when the held response says good and is still fresh now.</summary>
    public bool IsGood(X509Certificate2 certificate) => IsGood(certificate, _time.GetUtcNow());

    /// <summary>The held response when it says good and is fresh at <paramref name="now"/>: what may be stapled to a signature made now.</summary>
    public bool TryGetGood(X509Certificate2 certificate, DateTimeOffset now, out OcspStapled stapled)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return TryGetGood(KeyOf(certificate), now, out stapled);
    }

    /// <summary>
    /// Fetches a new response for every tracked certificate now, whatever their schedule. True when
    /// every one got a verified response (of any status).
    /// </summary>
    public async Task<bool> RefreshAsync(CancellationToken cancellationToken = default)
    {
        var all = true;
        foreach (var entry in _entries.Values.ToArray())
        {
            all &= (await RefreshEntryAsync(entry, cancellationToken).ConfigureAwait(false)).IsValid;
        }

        return all;
    }

    /// <summary>
    /// Fetches a new response for <paramref name="certificate"/> now. The result is the verified response
    /// (of any status), or why none was obtained; the held response is kept in that case.
    /// </summary>
    /// <exception cref="ArgumentException">The certificate is not tracked.</exception>
    public Task<VerificationResult<OcspStapled>> RefreshAsync(X509Certificate2 certificate, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return _entries.TryGetValue(KeyOf(certificate), out var entry)
            ? RefreshEntryAsync(entry, cancellationToken)
            : throw new ArgumentException($"'{certificate.Subject}' is not tracked.", nameof(certificate));
    }

    /// <summary>
    /// Refreshes every certificate when it falls due, until cancelled: first at once, then at the refresh
    /// point of its response, after a failure <c>MinRetryDelay × 2^(failures−1)</c> capped at
    /// <c>MaxRetryDelay</c>. A newly tracked certificate wakes it. Returns when cancelled.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                DateTimeOffset? next = null;
                foreach (var entry in _entries.Values.ToArray())
                {
                    if (entry.State.NextAttemptAt <= _time.GetUtcNow())
                    {
                        await RefreshEntryAsync(entry, cancellationToken).ConfigureAwait(false);
                    }

                    var due = entry.State.NextAttemptAt;
                    next = next is { } n && n <= due ? n : due;
                }

                var delay = next is { } at ? at - _time.GetUtcNow() : Timeout.InfiniteTimeSpan;
                if (next is null || delay > TimeSpan.Zero)
                {
                    await SleepAsync(delay, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
        }
    }

    /// <summary>The delay after <paramref name="consecutiveFailures"/> failures (at least one).</summary>
    public TimeSpan RetryDelay(int consecutiveFailures)
    {
        var exponent = Math.Clamp(consecutiveFailures - 1, 0, 30);
        var ticks = Math.Min(_options.MinRetryDelay.Ticks * Math.Pow(2, exponent), _options.MaxRetryDelay.Ticks);
        return TimeSpan.FromTicks((long)ticks);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _refreshGate.Dispose();
        _wake.Dispose();
    }

    internal bool TryGetGood(string certificateSha256, DateTimeOffset now, out OcspStapled stapled)
    {
        if (_entries.TryGetValue(certificateSha256, out var entry) && entry.Stapled is { } s && IsGoodAt(s, now))
        {
            stapled = s;
            return true;
        }

        stapled = null!;
        return false;
    }

    internal static string KeyOf(X509Certificate2 certificate)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(certificate.RawDataMemory.Span, hash);
        return Convert.ToHexStringLower(hash);
    }

    private bool IsGoodAt(OcspStapled stapled, DateTimeOffset now) =>
        stapled.Status == OcspCertificateStatus.Good
        && now - stapled.ThisUpdate <= _options.Freshness()
        && stapled.ThisUpdate <= now + _options.ClockSkew
        && (stapled.NextUpdate is not { } next || now <= next);

    private static bool IsIssuerOf(X509Certificate2 candidate, X509Certificate2 certificate) =>
        candidate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData)
        && !candidate.RawDataMemory.Span.SequenceEqual(certificate.RawDataMemory.Span);

    private async Task SleepAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var sleep = delay == Timeout.InfiniteTimeSpan ? Task.Delay(Timeout.Infinite, stop.Token) : Task.Delay(delay, _time, stop.Token);
        var woken = _wake.WaitAsync(stop.Token);
        await Task.WhenAny(sleep, woken).ConfigureAwait(false);
        await stop.CancelAsync().ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
    }

    private void Wake()
    {
        lock (_trackLock)
        {
            if (_wake.CurrentCount == 0)
            {
                _wake.Release();
            }
        }
    }

    private async Task<VerificationResult<OcspStapled>> RefreshEntryAsync(Entry entry, CancellationToken cancellationToken)
    {
        await _refreshGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            Interlocked.Increment(ref _attempts);
            var attemptAt = _time.GetUtcNow();
            entry.State = entry.State with { LastAttempt = attemptAt };
            var selection = _options.Responders(entry.Certificate, entry.Chain) ?? OcspResponderSelection.None;
            var urls = selection.ResponderUrls.Count > 0 ? selection.ResponderUrls : AiaUrls(entry.Certificate);
            VerificationResult<OcspStapled> result = VerificationResult<OcspStapled>.Fail(
                TrustFailure.ServiceUnavailable,
                $"no OCSP responder is known for '{entry.Certificate.Subject}': global configuration names none and the certificate has no AIA OCSP URL");
            foreach (var url in urls)
            {
                result = await FetchAsync(entry, url, selection, cancellationToken).ConfigureAwait(false);
                if (result.IsValid)
                {
                    break;
                }
            }

            var now = _time.GetUtcNow();
            if (!result.IsValid)
            {
                var failures = entry.State.ConsecutiveFailures + 1;
                entry.State = entry.State with
                {
                    LastError = result.Message,
                    LastFailure = result.Failure,
                    ConsecutiveFailures = failures,
                    NextAttemptAt = now + RetryDelay(failures),
                };
                return result;
            }

            var persistError = Accept(entry, result.Value, persist: true);
            entry.State = entry.State with
            {
                Stapled = entry.Stapled,
                LastSuccess = now,
                LastError = persistError,
                LastFailure = null,
                ConsecutiveFailures = 0,
                NextAttemptAt = NextRefresh(entry.Stapled!, now),
            };
            return result;
        }
        finally
        {
            _refreshGate.Release();
        }
    }

    private async Task<VerificationResult<OcspStapled>> FetchAsync(Entry entry, Uri url, OcspResponderSelection selection, CancellationToken cancellationToken)
    {
        var options = VerificationOptions(selection) with
        {
            ExpectedNonce = _options.SendNonce ? OcspRequestBuilder.CreateNonce() : ReadOnlyMemory<byte>.Empty,
        };

        using var timeout = new CancellationTokenSource(_options.RequestTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        OcspFetchResult fetched;
        try
        {
            fetched = await _client.FetchAsync(url, entry.Certificate, entry.Issuer, options, cancellationToken: linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return VerificationResult<OcspStapled>.Fail(TrustFailure.ServiceUnavailable, $"OCSP responder {url.GetLeftPart(UriPartial.Path)} gave no answer within {_options.RequestTimeout}");
        }

        return Interpret(fetched.Response, fetched.Verification, entry);
    }

    private OcspVerificationOptions VerificationOptions(OcspResponderSelection selection)
    {
        var trusted = new List<X509Certificate2>(selection.TrustedResponderCertificates.Count);
        foreach (var der in selection.TrustedResponderCertificates)
        {
            try
            {
                trusted.Add(_certificates.GetOrLoad(der.Span));
            }
            catch (CryptographicException)
            {
                // A broken pinned certificate trusts nobody; the CA and its delegates still can answer.
            }
        }

        return new OcspVerificationOptions
        {
            FreshnessLimit = _options.Freshness(),
            ClockSkew = _options.ClockSkew,
            TrustedResponders = trusted,
            Certificates = _certificates,
        };
    }

    /// <summary>
    /// A verified good response, or an authentic revoked/unknown one (the verifier checks the status
    /// last, so those failures mean every other check passed): both are kept. Anything else is a failure.
    /// </summary>
    private static VerificationResult<OcspStapled> Interpret(ReadOnlyMemory<byte> body, VerificationResult<OcspStatus> verification, Entry entry)
    {
        if (verification.IsValid)
        {
            var s = verification.Value!;
            return VerificationResult<OcspStapled>.Ok(new OcspStapled(body.ToArray(), s.Status, s.ThisUpdate, s.NextUpdate, s.ProducedAt));
        }

        if (verification.Failure is not (TrustFailure.CertificateRevoked or TrustFailure.CertificateStatusUnknown))
        {
            return VerificationResult<OcspStapled>.Fail(verification.Failure!.Value, verification.Message!);
        }

        var bytes = body.ToArray();
        var parsed = OcspResponseVerifier.Parse(bytes);
        var single = parsed.Success ? parsed.Value.Responses.FirstOrDefault(r => r.CertificateId.Matches(entry.Certificate, entry.Issuer)) : null;
        if (single is null)
        {
            return VerificationResult<OcspStapled>.Fail(TrustFailure.Malformed, "the verified OCSP response cannot be read back");
        }

        return VerificationResult<OcspStapled>.Ok(new OcspStapled(bytes, single.Status, single.ThisUpdate, single.NextUpdate, parsed.Value!.ProducedAt ?? single.ThisUpdate));
    }

    /// <summary>Takes <paramref name="stapled"/> as the entry's response unless it is older than a held good one; returns a persistence error, if any.</summary>
    private string? Accept(Entry entry, OcspStapled stapled, bool persist)
    {
        var held = entry.Stapled;

        // A responder behind a cache may answer with an older response than one we hold; keep the newer
        // good one. A bad status always wins: failing closed is the safe side.
        if (held is not null && stapled.Status == OcspCertificateStatus.Good && stapled.ThisUpdate < held.ThisUpdate)
        {
            return null;
        }

        entry.Stapled = stapled;
        if (!persist)
        {
            return null;
        }

        try
        {
            AtomicFile.Write(PersistedPath(entry), stapled.Response.Span, AtomicFile.PublicRead);
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The response is still good to use; only a restart would lose it.
            return $"verified the OCSP response but could not persist it: {ex.Message}";
        }
    }

    private bool LoadPersisted(Entry entry, DateTimeOffset now)
    {
        var path = PersistedPath(entry);
        var info = new FileInfo(path);
        if (!info.Exists || info.Length > OcspResponseVerifier.MaxResponseLength)
        {
            return false;
        }

        byte[] body;
        try
        {
            body = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            entry.State = entry.State with { LastError = $"could not read the persisted OCSP response: {ex.Message}" };
            return false;
        }

        // Verified as if just fetched, without a nonce: only a response that is still fresh (or an
        // authentic bad status) counts.
        var selection = _options.Responders(entry.Certificate, entry.Chain) ?? OcspResponderSelection.None;
        var verification = OcspResponseVerifier.Verify(body, entry.Certificate, entry.Issuer, now, VerificationOptions(selection));
        var result = Interpret(body, verification, entry);
        if (!result.IsValid)
        {
            entry.State = entry.State with { LastError = $"the persisted OCSP response is not usable: {result.Message}", LastFailure = result.Failure };
            return false;
        }

        Accept(entry, result.Value, persist: false);
        entry.State = entry.State with { Stapled = result.Value, NextAttemptAt = NextRefresh(result.Value, now) };
        return true;
    }

    private DateTimeOffset NextRefresh(OcspStapled stapled, DateTimeOffset now)
    {
        var freshness = _options.Freshness();
        var due = stapled.ThisUpdate + (freshness * _options.RefreshFraction);
        if (stapled.NextUpdate is { } next && next > stapled.ThisUpdate)
        {
            var byNextUpdate = stapled.ThisUpdate + ((next - stapled.ThisUpdate) * _options.RefreshFraction);
            due = byNextUpdate < due ? byNextUpdate : due;
        }

        // A responder that serves old responses must not make us ask it in a tight loop.
        var earliest = now + _options.MinRetryDelay;
        return due < earliest ? earliest : due;
    }

    private string PersistedPath(Entry entry) => Path.Combine(_options.StorageDirectory, entry.Key + FileSuffix);

    private static List<Uri> AiaUrls(X509Certificate2 certificate)
    {
        var urls = new List<Uri>();
        foreach (var extension in certificate.Extensions)
        {
            if (extension is X509AuthorityInformationAccessExtension aia)
            {
                foreach (var text in aia.EnumerateOcspUris())
                {
                    if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
                    {
                        urls.Add(uri);
                    }
                }
            }
        }

        return urls;
    }

    private sealed class Entry(string key, X509Certificate2 certificate, X509Certificate2 issuer, X509Certificate2[] chain)
    {
        private OcspStapled? _stapled;
        private OcspCertificateState? _state;

        public string Key { get; } = key;

        public X509Certificate2 Certificate { get; } = certificate;

        public X509Certificate2 Issuer { get; } = issuer;

        public X509Certificate2[] Chain { get; } = chain;

        public int References { get; set; } = 1;

        public OcspStapled? Stapled
        {
            get => Volatile.Read(ref _stapled);
            set => Volatile.Write(ref _stapled, value);
        }

        public OcspCertificateState State
        {
            get => Volatile.Read(ref _state)!;
            set => Volatile.Write(ref _state, value);
        }
    }
}
