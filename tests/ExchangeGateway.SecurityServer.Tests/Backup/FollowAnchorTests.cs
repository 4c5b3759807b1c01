using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ExchangeGateway.Config.Anchors;
using ExchangeGateway.Config.Client;
using ExchangeGateway.SecurityServer.Backup;
using ExchangeGateway.Testing.Tools;

namespace ExchangeGateway.SecurityServer.Tests.Backup;

/// <summary>After a restore the configuration client follows the restored anchor file, and nothing else.</summary>
public sealed class FollowAnchorTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly HttpClient _http = new();

    public void Dispose()
    {
        _http.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public void FollowAnchor_AnotherAnchorOfTheSameInstance_IsUsed()
    {
        var current = Anchor("DEV");
        using var client = Client(current);
        var restored = Anchor("DEV");
        var path = Write(restored);

        Assert.True(BackupServiceCollectionExtensions.FollowAnchor(client, path));
        Assert.Equal(restored.Sha256Hex(), client.Anchor.Sha256Hex());
    }

    [Fact]
    public void FollowAnchor_SameAnchor_ChangesNothing()
    {
        var current = Anchor("DEV");
        using var client = Client(current);

        Assert.False(BackupServiceCollectionExtensions.FollowAnchor(client, Write(current)));
        Assert.Same(current, client.Anchor);
    }

    [Fact]
    public void FollowAnchor_OtherInstanceInvalidOrMissing_ChangesNothing()
    {
        var current = Anchor("DEV");
        using var client = Client(current);
        var garbage = _dir.File("garbage.json");
        File.WriteAllText(garbage, "{not an anchor");

        Assert.False(BackupServiceCollectionExtensions.FollowAnchor(client, Write(Anchor("OTHER"))));
        Assert.False(BackupServiceCollectionExtensions.FollowAnchor(client, garbage));
        Assert.False(BackupServiceCollectionExtensions.FollowAnchor(client, _dir.File("absent.json")));
        Assert.Same(current, client.Anchor);
    }

    private ConfigurationClient Client(ConfigurationAnchor anchor) =>
        new(anchor, _http, new ConfigurationClientOptions { StorageDirectory = _dir.File("globalconf-" + Guid.NewGuid().ToString("N")) });

    private string Write(ConfigurationAnchor anchor)
    {
        var path = _dir.File("anchor-" + Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllBytes(path, ConfigurationAnchorSerializer.Write(anchor));
        return path;
    }

    private static ConfigurationAnchor Anchor(string instance)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Configuration signing " + Guid.NewGuid().ToString("N"), key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        return ConfigurationAnchor.Create(instance, ["http://127.0.0.1:1/globalconf"], [certificate]);
    }
}
