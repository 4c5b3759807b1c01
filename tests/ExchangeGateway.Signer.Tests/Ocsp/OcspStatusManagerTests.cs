using System.Security.Cryptography.X509Certificates;
using ExchangeGateway.Common.Crypto.Ocsp;
using ExchangeGateway.Common.Results;
using ExchangeGateway.Config.Model;
using ExchangeGateway.Signer.Identities;
using ExchangeGateway.Signer.Ocsp;
using ExchangeGateway.Signer.Tests.Support;
using ExchangeGateway.Testing.Pki;
using ExchangeGateway.Testing.Time;
using ExchangeGateway.Testing.Tools;

namespace ExchangeGateway.Signer.Tests.Ocsp;

public sealed class OcspStatusManagerTests : IDisposable
{
    private const string AiaUrl = "http://ocsp.test/ocsp";
    private static readonly TimeSpan Freshness = TimeSpan.FromMinutes(20);

    private readonly ManualTimeProvider _time = new();
    private readonly TempDirectory _dir = new();
    private readonly TestPki _pki;
    private readonly InProcessOcspHandler _responder;
    private readonly HttpClient _http;
    private readonly SigningIdentity _identity;

    public OcspStatusManagerTests()
    {
        _pki = TestPki.Create(_time, ocspUrl: AiaUrl);
        _responder = new InProcessOcspHandler(_pki, _time);
        _http = new HttpClient(_responder);
        _identity = TestIdentities.Signing(_pki, TestIdentities.Owner);
    }

    public void Dispose()
    {
        _identity.Dispose();
        _http.Dispose();
        _pki.Dispose();
        _dir.Dispose();
    }

    private X509Certificate2 Certificate => _identity.Certificate;

    [Fact]
    public async Task RefreshAsync_GoodResponse_IsHeldVerifiedAndPersisted()
    {
        using var manager = CreateManager();
        Assert.False(manager.Track(Certificate, _identity.Chain));
        Assert.False(manager.IsGood(Certificate));

        var refreshed = await manager.RefreshAsync(Certificate);

        Assert.True(refreshed.IsValid, refreshed.Message);
        Assert.True(manager.TryGetStapled(Certificate, out var stapled));
        Assert.Equal(OcspCertificateStatus.Good, stapled.Status);
        Assert.Equal(_time.GetUtcNow(), stapled.ThisUpdate);
        Assert.True(manager.IsGood(Certificate));
        Assert.Equal([new Uri(AiaUrl)], _responder.Requests);

        // The stapled bytes are a response any verifier accepts for this certificate.
        Assert.True(OcspResponseVerifier.Verify(stapled.Response.ToArray(), Certificate, _pki.IntermediateCertificate, _time.GetUtcNow()).IsValid);
        var persisted = Path.Combine(_dir.File("ocsp"), OcspStatusManager.KeyOf(Certificate) + OcspStatusManager.FileSuffix);
        Assert.Equal(stapled.Response.ToArray(), File.ReadAllBytes(persisted));

        var state = Assert.Single(manager.States);
        Assert.Equal(_time.GetUtcNow(), state.LastSuccess);
        Assert.Equal(_time.GetUtcNow() + (Freshness / 2), state.NextAttemptAt);
        Assert.Null(state.LastError);
    }

    [Fact]
    public async Task Track_AfterRestart_StaplesThePersistedResponseWithoutAsking()
    {
        ReadOnlyMemory<byte> first;
        using (var manager = CreateManager())
        {
            manager.Track(Certificate, _identity.Chain);
            Assert.True(await manager.RefreshAsync());
            manager.TryGetStapled(Certificate, out var stapled);
            first = stapled.Response;
        }

        _responder.Down = true;
        _time.Advance(TimeSpan.FromMinutes(12));
        var asked = _responder.Requests.Count;
        using var restarted = CreateManager();

        Assert.True(restarted.Track(Certificate, _identity.Chain));
        Assert.True(restarted.TryGetStapled(Certificate, out var reloaded));
        Assert.Equal(first.ToArray(), reloaded.Response.ToArray());
        Assert.True(restarted.IsGood(Certificate));
        Assert.Equal(asked, _responder.Requests.Count);

        // Already past its refresh point: the loop asks at once.
        Assert.True(Assert.Single(restarted.States).NextAttemptAt <= _time.GetUtcNow() + TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Track_AfterRestartWithAStaleResponse_HoldsNothing()
    {
        using (var manager = CreateManager())
        {
            manager.Track(Certificate, _identity.Chain);
            await manager.RefreshAsync();
        }

        _time.Advance(Freshness + TimeSpan.FromSeconds(1));
        using var restarted = CreateManager();

        Assert.False(restarted.Track(Certificate, _identity.Chain));
        Assert.False(restarted.TryGetStapled(Certificate, out _));
        Assert.Equal(TrustFailure.OcspStale, Assert.Single(restarted.States).LastFailure);
    }

    [Fact]
    public async Task RunAsync_RefreshesBeforeFreshnessRunsOut()
    {
        using var manager = CreateManager();
        manager.Track(Certificate, _identity.Chain);
        using var stop = new CancellationTokenSource();
        var loop = manager.RunAsync(stop.Token);

        await Wait.UntilAsync(() => manager.States[0].LastSuccess is not null);
        for (var cycle = 0; cycle < 5; cycle++)
        {
            manager.TryGetStapled(Certificate, out var before);

            // Just past the refresh point (half the freshness): a new response arrives while the old one is still fresh.
            _time.Advance((Freshness / 2) + TimeSpan.FromSeconds(1));
            Assert.True(manager.IsGood(Certificate));
            await Wait.UntilAsync(() => manager.TryGetStapled(Certificate, out var now) && now.ThisUpdate > before.ThisUpdate);
            Assert.True(manager.IsGood(Certificate));
        }

        Assert.Equal(6, manager.Attempts);
        await stop.CancelAsync();
        await loop.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task RunAsync_NewlyTrackedCertificate_IsFetchedAtOnce()
    {
        using var manager = CreateManager();
        using var stop = new CancellationTokenSource();
        var loop = manager.RunAsync(stop.Token);

        manager.Track(Certificate, _identity.Chain);

        await Wait.UntilAsync(() => manager.IsGood(Certificate));
        await stop.CancelAsync();
        await loop.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task RunAsync_ResponderDown_BacksOffExponentiallyUpToTheCap()
    {
        _responder.Down = true;
        using var manager = CreateManager();
        manager.Track(Certificate, _identity.Chain);
        using var stop = new CancellationTokenSource();
        var loop = manager.RunAsync(stop.Token);

        var delays = new List<TimeSpan>();
        for (var attempt = 1; attempt <= 6; attempt++)
        {
            await Wait.UntilAsync(() => manager.States[0].ConsecutiveFailures == attempt);
            var state = manager.States[0];
            var delay = state.NextAttemptAt - state.LastAttempt!.Value;
            delays.Add(delay);
            _time.Advance(delay);
        }

        Assert.Equal([5, 10, 20, 40, 60, 60], delays.Select(d => (int)d.TotalSeconds));
        Assert.Equal(TrustFailure.ServiceUnavailable, manager.States[0].LastFailure);
        await stop.CancelAsync();
        await loop.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task RefreshAsync_ResponderDown_KeepsTheLastGoodUntilFreshnessRunsOut()
    {
        using var manager = CreateManager();
        manager.Track(Certificate, _identity.Chain);
        await manager.RefreshAsync();
        _responder.Down = true;

        _time.Advance(TimeSpan.FromMinutes(15));
        var failed = await manager.RefreshAsync(Certificate);

        Assert.Equal(TrustFailure.ServiceUnavailable, failed.Failure);
        Assert.True(manager.IsGood(Certificate));
        Assert.Equal(1, manager.States[0].ConsecutiveFailures);

        _time.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));
        Assert.False(manager.IsGood(Certificate));
        Assert.True(manager.TryGetStapled(Certificate, out var old));
        Assert.Equal(OcspCertificateStatus.Good, old.Status);

        _responder.Down = false;
        Assert.True((await manager.RefreshAsync(Certificate)).IsValid);
        Assert.True(manager.IsGood(Certificate));
    }

    [Fact]
    public async Task RefreshAsync_Revoked_ReplacesGoodAtOnceAndSurvivesARestart()
    {
        using (var manager = CreateManager())
        {
            manager.Track(Certificate, _identity.Chain);
            await manager.RefreshAsync();
            Assert.True(manager.IsGood(Certificate));

            _time.Advance(TimeSpan.FromMinutes(1));
            _responder.Revoke(Certificate, _time.GetUtcNow());
            var refreshed = await manager.RefreshAsync(Certificate);

            Assert.True(refreshed.IsValid, refreshed.Message);
            Assert.Equal(OcspCertificateStatus.Revoked, refreshed.Value!.Status);
            Assert.False(manager.IsGood(Certificate));
            Assert.True(manager.TryGetStapled(Certificate, out var stapled));
            Assert.Equal(OcspCertificateStatus.Revoked, stapled.Status);
        }

        _responder.Down = true;
        using var restarted = CreateManager();
        restarted.Track(Certificate, _identity.Chain);

        Assert.True(restarted.TryGetStapled(Certificate, out var reloaded));
        Assert.Equal(OcspCertificateStatus.Revoked, reloaded.Status);
        Assert.False(restarted.IsGood(Certificate));
    }

    [Fact]
    public async Task RefreshAsync_ResponseFromAnUnauthorisedResponder_IsRejectedAndTheGoodOneKept()
    {
        using var manager = CreateManager();
        manager.Track(Certificate, _identity.Chain);
        await manager.RefreshAsync();
        manager.TryGetStapled(Certificate, out var good);

        using var otherPki = TestPki.Create(_time, "Other");
        using var impostor = new HttpClient(new InProcessOcspHandler(otherPki, _time));
        using var fooled = CreateManager(http: impostor, storage: "ocsp");
        fooled.Track(Certificate, _identity.Chain);
        _time.Advance(TimeSpan.FromMinutes(11));
        var result = await fooled.RefreshAsync(Certificate);

        Assert.False(result.IsValid);
        Assert.Equal(TrustFailure.OcspUnauthorisedResponder, result.Failure);
        Assert.True(fooled.TryGetStapled(Certificate, out var kept));
        Assert.Equal(good.Response.ToArray(), kept.Response.ToArray());
    }

    [Fact]
    public async Task RefreshAsync_ResponderFromConfiguration_IsAskedInsteadOfTheAiaUrl()
    {
        var configured = new Uri("http://configured.test/ocsp");
        using var manager = CreateManager(responders: (_, _) => new OcspResponderSelection([configured], []));
        manager.Track(Certificate, _identity.Chain);

        Assert.True(await manager.RefreshAsync());

        Assert.Equal([configured], _responder.Requests);
    }

    [Fact]
    public async Task RefreshAsync_NoResponderAnywhere_FailsWithoutAsking()
    {
        using var noAia = TestPki.Create(_time, "NoAia");
        using var identity = TestIdentities.Signing(noAia, TestIdentities.Owner);
        using var manager = CreateManager();
        manager.Track(identity.Certificate, identity.Chain);

        var result = await manager.RefreshAsync(identity.Certificate);

        Assert.Equal(TrustFailure.ServiceUnavailable, result.Failure);
        Assert.Contains("no OCSP responder", result.Message, StringComparison.Ordinal);
        Assert.Empty(_responder.Requests);
    }

    [Fact]
    public async Task IsGood_FreshnessFromTheHost_AppliesAtOnce()
    {
        var freshness = Freshness;
        using var manager = CreateManager(freshness: () => freshness);
        manager.Track(Certificate, _identity.Chain);
        await manager.RefreshAsync();
        _time.Advance(TimeSpan.FromMinutes(6));

        Assert.True(manager.IsGood(Certificate));
        freshness = TimeSpan.FromMinutes(5);
        Assert.False(manager.IsGood(Certificate));
    }

    [Fact]
    public void Track_TwiceThenUntrackOnce_KeepsTracking()
    {
        using var manager = CreateManager();
        manager.Track(Certificate, _identity.Chain);
        manager.Track(Certificate, _identity.Chain);

        Assert.True(manager.Untrack(Certificate));
        Assert.Single(manager.States);
        Assert.True(manager.Untrack(Certificate));
        Assert.Empty(manager.States);
        Assert.False(manager.Untrack(Certificate));
    }

    [Fact]
    public void Track_ChainWithoutTheIssuer_Throws()
    {
        using var manager = CreateManager();

        Assert.Throws<ArgumentException>(() => manager.Track(Certificate, [_pki.RootCertificate]));
    }

    [Fact]
    public void FromConfiguration_ApprovedCaInTheChain_GivesItsRespondersInOrder()
    {
        var pinned = _pki.OcspResponder.RawData;
        var configuration = new GlobalConfiguration
        {
            InstanceId = "DEV",
            Serial = 1,
            GeneratedAt = _time.GetUtcNow(),
            ExpiresAt = _time.GetUtcNow().AddHours(1),
            Settings = new ConfigurationSettings(Freshness, TimeSpan.FromMinutes(1), TimeSpan.FromHours(4), TimeSpan.FromMinutes(1)),
            ManagementServiceAddress = "http://127.0.0.1:4180/managementservice",
            ApprovedCas =
            [
                new ApprovedCa("other", TestIdentities.Copy(_pki.OcspResponder).RawData, [new OcspResponderInfo("http://wrong.test/ocsp")], CertificateSubjectProfile.Default),
                new ApprovedCa(
                    "dev",
                    _pki.RootCertificate.RawData,
                    [new OcspResponderInfo("http://first.test/ocsp", pinned), new OcspResponderInfo("ftp://not-http.test/"), new OcspResponderInfo("https://second.test/ocsp")],
                    CertificateSubjectProfile.Default),
            ],
        };

        var selection = OcspResponderSelection.FromConfiguration(configuration, _identity.Chain);

        Assert.Equal([new Uri("http://first.test/ocsp"), new Uri("https://second.test/ocsp")], selection.ResponderUrls);
        Assert.Equal(pinned, Assert.Single(selection.TrustedResponderCertificates).ToArray());
        Assert.Same(OcspResponderSelection.None, OcspResponderSelection.FromConfiguration(configuration, [_pki.Tsa]));
    }

    private OcspStatusManager CreateManager(
        Func<X509Certificate2, IReadOnlyList<X509Certificate2>, OcspResponderSelection>? responders = null,
        Func<TimeSpan>? freshness = null,
        HttpClient? http = null,
        string storage = "ocsp") =>
        new(
            http ?? _http,
            new OcspStatusManagerOptions
            {
                StorageDirectory = _dir.File(storage),
                Responders = responders ?? ((_, _) => OcspResponderSelection.None),
                Freshness = freshness ?? (() => Freshness),
            },
            _time);
}
