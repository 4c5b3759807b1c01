using System.Security.Cryptography.X509Certificates;
using ExchangeGateway.Common.Results;
using ExchangeGateway.Config.Anchors;
using ExchangeGateway.Config.Client;
using ExchangeGateway.Config.Model;
using ExchangeGateway.Config.Signing;
using ExchangeGateway.Config.Tests.Support;
using ExchangeGateway.Testing.Time;
using ExchangeGateway.Testing.Tools;

namespace ExchangeGateway.Config.Tests.Client;

public sealed class ConfigurationClientTests : IAsyncLifetime
{
    private readonly ManualTimeProvider _time = new(Samples.Start.AddMinutes(1));
    private readonly X509Certificate2 _key = Samples.CreateSigningCertificate("conf-signing", Samples.Start);
    private readonly X509Certificate2 _foreignKey = Samples.CreateSigningCertificate("attacker", Samples.Start);
    private readonly TempDirectory _storage = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private FakeCentralServer _server = null!;

    private ConfigurationAnchor Anchor => Samples.Anchor("EE", [_server.Url], _key);

    public async Task InitializeAsync() => _server = await FakeCentralServer.StartAsync();

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _http.Dispose();
        _storage.Dispose();
        _key.Dispose();
        _foreignKey.Dispose();
    }

    [Fact]
    public async Task PollOnceAsync_NewSerial_VerifiesPersistsAndSwaps()
    {
        using var client = CreateClient();
        _server.Serve(Envelope(serial: 1));

        var first = await client.PollOnceAsync();
        var served = Envelope(serial: 2);
        _server.Serve(served);
        var second = await client.PollOnceAsync();

        Assert.True(first.IsValid, first.Message);
        Assert.True(second.IsValid, second.Message);
        Assert.True(client.TryGetValid(out var current));
        Assert.Equal(2, current.Serial);
        Assert.Equal(2, client.Status.Serial);
        Assert.Null(client.Status.LastError);
        Assert.Equal(_time.GetUtcNow(), client.Status.LastSuccess);
        Assert.True(File.Exists(_storage.File(ConfigurationClient.FileName)));
        Assert.Equal(served, File.ReadAllBytes(_storage.File(ConfigurationClient.FileName)));
        Assert.Empty(Directory.GetFiles(_storage.Path, "*.tmp"));
    }

    [Fact]
    public async Task LoadPersisted_AfterRestartWithServerDown_ServesLastGoodCopy()
    {
        using (var before = CreateClient())
        {
            _server.Serve(Envelope(serial: 3));
            Assert.True((await before.PollOnceAsync()).IsValid);
        }

        _server.Fail(500);
        using var after = CreateClient();

        Assert.False(after.TryGetValid(out _));
        Assert.True(after.LoadPersisted());
        Assert.True(after.TryGetValid(out var config));
        Assert.Equal(3, config.Serial);

        // The restored serial still guards against a rollback.
        _server.Serve(Envelope(serial: 2));
        Assert.Equal(TrustFailure.GlobalConfigurationRollback, (await after.PollOnceAsync()).Failure);
    }

    [Fact]
    public void LoadPersisted_TamperedFile_IgnoredAndReported()
    {
        var envelope = Envelope(serial: 3);
        var text = System.Text.Encoding.UTF8.GetString(envelope);
        var signed = SignedConfigurationEnvelope.Read(envelope).Value!;
        var tampered = signed with { Content = System.Text.Encoding.UTF8.GetBytes(System.Text.Encoding.UTF8.GetString(signed.Content.Span).Replace("Hospital", "Hospita1", StringComparison.Ordinal)) };
        Assert.NotEqual(text, System.Text.Encoding.UTF8.GetString(SignedConfigurationEnvelope.Write(tampered)));
        File.WriteAllBytes(_storage.File(ConfigurationClient.FileName), SignedConfigurationEnvelope.Write(tampered));
        using var client = CreateClient();

        Assert.False(client.LoadPersisted());
        Assert.Null(client.Current);
        Assert.NotNull(client.Status.LastFailure);
    }

    [Theory]
    [InlineData("http500", TrustFailure.ServiceUnavailable)]
    [InlineData("tampered", TrustFailure.DigestMismatch)]
    [InlineData("foreignKey", TrustFailure.UntrustedCertificate)]
    [InlineData("olderSerial", TrustFailure.GlobalConfigurationRollback)]
    [InlineData("otherInstance", TrustFailure.GlobalConfigurationWrongInstance)]
    [InlineData("garbage", TrustFailure.Malformed)]
    public async Task PollOnceAsync_BadResponse_RejectedAndLastGoodKept(string mode, TrustFailure expected)
    {
        using var client = CreateClient();
        _server.Serve(Envelope(serial: 5));
        Assert.True((await client.PollOnceAsync()).IsValid);
        var good = File.ReadAllBytes(_storage.File(ConfigurationClient.FileName));

        switch (mode)
        {
            case "http500":
                _server.Fail(500);
                break;
            case "tampered":
                var signed = SignedConfiguration.Sign(Samples.Configuration(serial: 6), _key, _time.GetUtcNow());
                var content = System.Text.Encoding.UTF8.GetBytes(System.Text.Encoding.UTF8.GetString(signed.Content.Span).Replace("Hospital", "Hospita1", StringComparison.Ordinal));
                _server.Serve(SignedConfigurationEnvelope.Write(signed with { Content = content }));
                break;
            case "foreignKey":
                _server.Serve(SignedConfigurationEnvelope.Write(SignedConfiguration.Sign(Samples.Configuration(serial: 6), _foreignKey, _time.GetUtcNow())));
                break;
            case "olderSerial":
                _server.Serve(Envelope(serial: 4));
                break;
            case "otherInstance":
                _server.Serve(SignedConfigurationEnvelope.Write(SignedConfiguration.Sign(Samples.Configuration(instance: "FI", serial: 6), _key, _time.GetUtcNow())));
                break;
            case "garbage":
                _server.Serve("<html>maintenance</html>"u8.ToArray());
                break;
        }

        var result = await client.PollOnceAsync();

        Assert.Equal(expected, result.Failure);
        Assert.Equal(expected, client.Status.LastFailure);
        Assert.NotNull(client.Status.LastError);
        Assert.Equal(1, client.Status.ConsecutiveFailures);
        Assert.True(client.TryGetValid(out var config));
        Assert.Equal(5, config.Serial);
        Assert.Equal(good, File.ReadAllBytes(_storage.File(ConfigurationClient.FileName)));
    }

    [Fact]
    public async Task PollOnceAsync_DeclaredHugeContentLength_RejectedOnHeaders()
    {
        using var client = CreateClient();
        _server.Handle(async ctx =>
        {
            ctx.Response.ContentLength = 100L * 1024 * 1024;
            await ctx.Response.Body.WriteAsync(new byte[1024], ctx.RequestAborted);
        });

        var result = await client.PollOnceAsync();

        Assert.Equal(TrustFailure.DocumentTooLarge, result.Failure);
        Assert.Null(client.Current);
    }

    [Fact]
    public async Task Expiry_ServerDown_ServesUntilExpiryThenOutdatedThenRecovers()
    {
        using var client = CreateClient();
        _server.Serve(Envelope(serial: 1));
        Assert.True((await client.PollOnceAsync()).IsValid);
        var expiresAt = client.Current!.ExpiresAt;

        _server.Fail(503);
        _time.SetUtcNow(expiresAt);
        Assert.False((await client.PollOnceAsync()).IsValid);
        Assert.True(client.TryGetValid(out _));
        Assert.False(client.Status.IsOutdated(_time.GetUtcNow()));

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.False((await client.PollOnceAsync()).IsValid);
        Assert.False(client.TryGetValid(out _));
        Assert.True(client.Status.IsOutdated(_time.GetUtcNow()));
        Assert.Equal(2, client.Status.ConsecutiveFailures);

        _server.Serve(Envelope(serial: 2, generatedAt: _time.GetUtcNow()));
        Assert.True((await client.PollOnceAsync()).IsValid);
        Assert.True(client.TryGetValid(out var fresh));
        Assert.Equal(2, fresh.Serial);
        Assert.False(client.Status.IsOutdated(_time.GetUtcNow()));
        Assert.Equal(0, client.Status.ConsecutiveFailures);
    }

    [Fact]
    public async Task PollOnceAsync_ExpiredConfigurationServed_Rejected()
    {
        using var client = CreateClient();
        _server.Serve(Envelope(serial: 1, generatedAt: Samples.Start.AddHours(-1)));

        Assert.Equal(TrustFailure.GlobalConfigurationExpired, (await client.PollOnceAsync()).Failure);
        Assert.True(client.Status.IsOutdated(_time.GetUtcNow()));
    }

    [Fact]
    public async Task PollOnceAsync_FirstUrlDown_UsesTheNextOne()
    {
        await using var second = await FakeCentralServer.StartAsync();
        second.Serve(Envelope(serial: 9));
        _server.Fail(500);
        using var client = new ConfigurationClient(
            Samples.Anchor("EE", [_server.Url, second.Url], _key), _http, new ConfigurationClientOptions { StorageDirectory = _storage.Path }, _time);

        Assert.True((await client.PollOnceAsync()).IsValid);
        Assert.Equal(9, client.Current!.Serial);
    }

    [Fact]
    public async Task RunAsync_Failures_BackOffExponentiallyThenRecover()
    {
        using var client = CreateClient();
        _server.Fail(500);
        using var stop = new CancellationTokenSource();
        var run = client.RunAsync(stop.Token);

        await WaitUntil(() => client.Status is { Attempts: 1, NextAttemptAt: not null });
        Assert.Equal(TimeSpan.FromSeconds(5), client.Status.NextAttemptAt - client.Status.LastAttempt);

        _time.Advance(TimeSpan.FromSeconds(5));
        await WaitUntil(() => client.Status.Attempts == 2 && client.Status.NextAttemptAt > _time.GetUtcNow());
        Assert.Equal(TimeSpan.FromSeconds(10), client.Status.NextAttemptAt - client.Status.LastAttempt);

        _server.Serve(Envelope(serial: 1));
        _time.Advance(TimeSpan.FromSeconds(10));
        await WaitUntil(() => client.Status.Serial == 1 && client.Status.NextAttemptAt > _time.GetUtcNow());
        Assert.Equal(TimeSpan.FromSeconds(60), client.Status.NextAttemptAt - client.Status.LastAttempt);

        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(client.TryGetValid(out _));
    }

    [Fact]
    public void RetryDelay_ManyFailures_CappedAtMaximum()
    {
        using var client = CreateClient();

        Assert.Equal(TimeSpan.FromSeconds(5), client.RetryDelay(1));
        Assert.Equal(TimeSpan.FromSeconds(40), client.RetryDelay(4));
        Assert.Equal(TimeSpan.FromMinutes(5), client.RetryDelay(1_000));
    }

    internal static async Task WaitUntil(Func<bool> condition)
    {
        // Bounded: at most 10 s of real time, no assertion on how long it took.
        for (var i = 0; i < 1000 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition(), "condition not reached");
    }

    private ConfigurationClient CreateClient() =>
        new(Anchor, _http, new ConfigurationClientOptions { StorageDirectory = _storage.Path }, _time);

    private byte[] Envelope(long serial, DateTimeOffset? generatedAt = null) =>
        SignedConfigurationEnvelope.Write(SignedConfiguration.Sign(
            Samples.Configuration(serial: serial, generatedAt: generatedAt ?? Samples.Start),
            _key,
            Samples.Start));
}
