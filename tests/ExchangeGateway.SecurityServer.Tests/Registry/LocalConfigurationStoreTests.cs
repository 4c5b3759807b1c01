using System.Text;
using ExchangeGateway.Common.Identifiers;
using ExchangeGateway.SecurityServer.Registry;
using ExchangeGateway.Testing.Tools;

namespace ExchangeGateway.SecurityServer.Tests.Registry;

public sealed class LocalConfigurationStoreTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Load_ValidFile_PublishesSnapshot()
    {
        File.WriteAllText(_dir.File("serverconf.json"), RegistrySamples.ContractExample);
        var store = new LocalConfigurationStore(_dir.Path);

        var result = store.Load();

        Assert.True(result.Success, result.Message);
        Assert.Same(result.Value, store.Current);
        Assert.Equal(1, store.Version);
    }

    [Fact]
    public void Load_MissingFile_FailsAndLeavesNoSnapshot()
    {
        var store = new LocalConfigurationStore(_dir.Path);

        var result = store.Load();

        Assert.False(result.Success);
        Assert.Contains("does not exist", result.Message, StringComparison.Ordinal);
        Assert.Null(store.Current);
    }

    [Fact]
    public void Load_InvalidFileAfterValidOne_KeepsTheLastGoodSnapshot()
    {
        File.WriteAllText(_dir.File("serverconf.json"), RegistrySamples.ContractExample);
        var store = new LocalConfigurationStore(_dir.Path);
        var good = store.Load().Value;
        File.WriteAllText(_dir.File("serverconf.json"), RegistrySamples.ContractExample.Replace("\"http\"", "\"ftp\"", StringComparison.Ordinal));

        var result = store.Load();

        Assert.False(result.Success);
        Assert.Contains("serverconf.json", result.Message, StringComparison.Ordinal);
        Assert.Contains("$.clients[0].connectionType", result.Message, StringComparison.Ordinal);
        Assert.Same(good, store.Current);
    }

    [Fact]
    public void CreateIfAbsent_NewDirectory_WritesFileWithMode0600AndPublishes()
    {
        var store = new LocalConfigurationStore(Path.Combine(_dir.Path, "new", "data"));

        var created = store.CreateIfAbsent(LocalConfiguration.Empty(RegistrySamples.ServerId));
        var again = store.CreateIfAbsent(RegistrySamples.Configuration());

        Assert.True(created);
        Assert.False(again);
        Assert.Empty(store.Current!.Clients);
        Assert.Equal("{\n  \"serverId\": \"DEV/GOV/70000001/ss1\",\n  \"clients\": []\n}\n", File.ReadAllText(store.FilePath));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(store.FilePath));
        }
    }

    [Fact]
    public void Update_Commit_WritesFileAtomicallyThenPublishes()
    {
        var store = Loaded();
        var before = store.Current!;
        var client = new LocalClient { Id = ClientId.Parse("DEV/GOV/70000001/new") };

        var result = store.Update(local => LocalConfigurationChange.Commit(local.WithClient(client).GetValueOrThrow(), "done"));

        Assert.Equal("done", result);
        Assert.NotSame(before, store.Current);
        Assert.NotNull(store.Current!.FindClient(client.Id));
        Assert.Null(before.FindClient(client.Id));
        var onDisk = LocalConfigurationSerializer.Read(File.ReadAllBytes(store.FilePath));
        Assert.NotNull(onDisk.Value!.FindClient(client.Id));
        Assert.Equal(["serverconf.json"], Directory.GetFiles(_dir.Path).Select(Path.GetFileName));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(store.FilePath));
        }
    }

    [Fact]
    public void Update_Keep_WritesNothing()
    {
        var store = Loaded();
        var before = store.Current;
        var stamp = File.GetLastWriteTimeUtc(store.FilePath);
        var version = store.Version;

        var result = store.Update(_ => LocalConfigurationChange.Keep(42));

        Assert.Equal(42, result);
        Assert.Same(before, store.Current);
        Assert.Equal(version, store.Version);
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(store.FilePath));
    }

    [Fact]
    public void Update_WriteFails_ThrowsAndChangesNeitherFileNorSnapshot()
    {
        var store = Loaded();
        var before = store.Current!;

        // A directory in the file's place makes the rename fail, as a full or read-only disk would.
        File.Delete(store.FilePath);
        Directory.CreateDirectory(store.FilePath);
        var id = ClientId.Parse("DEV/GOV/70000001/x");

        Assert.ThrowsAny<IOException>(() => store.Update(local => LocalConfigurationChange.Commit(local.WithClient(new LocalClient { Id = id }).GetValueOrThrow(), 0)));
        Assert.Same(before, store.Current);
        Assert.Null(store.Current!.FindClient(id));
        Assert.Empty(Directory.GetFiles(_dir.Path));
    }

    [Fact]
    public void Update_BeforeLoad_Throws()
    {
        var store = new LocalConfigurationStore(_dir.Path);

        Assert.Throws<InvalidOperationException>(() => store.Update(l => LocalConfigurationChange.Keep(0)));
    }

    [Fact]
    public async Task Update_ConcurrentWriters_AreSerialisedAndNoneIsLost()
    {
        var store = Loaded();
        const int writers = 8;
        const int perWriter = 10;

        await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(() =>
        {
            for (var i = 0; i < perWriter; i++)
            {
                var id = ClientId.Parse($"DEV/GOV/70000001/w{w}-{i}");
                store.Update(local => LocalConfigurationChange.Commit(local.WithClient(new LocalClient { Id = id }).GetValueOrThrow(), true));
            }
        })));

        Assert.Equal(2 + (writers * perWriter), store.Current!.Clients.Length);
        Assert.Equal(store.Current.Clients.Length, LocalConfigurationSerializer.Read(File.ReadAllBytes(store.FilePath)).Value!.Clients.Length);
    }

    [Fact]
    public async Task Current_ReadDuringUpdates_IsAlwaysOneWholeVersion()
    {
        var store = Loaded();
        using var stop = new CancellationTokenSource();

        // Each update changes two services at once; a reader must see both old or both new.
        var writer = Task.Run(() =>
        {
            for (var i = 0; i < 200; i++)
            {
                var url = $"http://127.0.0.1:{9000 + (i % 100)}";
                store.Update(local =>
                {
                    var client = local.FindClient(RegistrySamples.Provider)!;
                    client = client.WithService(client.FindService("open")! with { Url = url }).WithService(client.FindService("closed")! with { Url = url });
                    return LocalConfigurationChange.Commit(local.WithClient(client).GetValueOrThrow(), true);
                });
            }
        });
        var mismatches = 0;
        var reads = 0;
        while (!writer.IsCompleted && reads < 1_000_000)
        {
            var snapshot = store.Current!;
            var a = snapshot.FindService(RegistrySamples.Service("open"))!.Url;
            var b = snapshot.FindService(RegistrySamples.Service("closed"))!.Url;
            mismatches += a == b ? 0 : 1;
            reads++;
        }

        await writer;
        Assert.Equal(0, mismatches);
    }

    private LocalConfigurationStore Loaded()
    {
        var local = RegistrySamples.Configuration();
        local = LocalConfiguration.Create(local.ServerId, local.Clients.Select(c => c.Id == RegistrySamples.Provider
            ? c.WithService(c.FindService("open")! with { Url = "http://127.0.0.1:9000" }).WithService(c.FindService("closed")! with { Url = "http://127.0.0.1:9000" })
            : c));
        File.WriteAllBytes(_dir.File("serverconf.json"), LocalConfigurationSerializer.Write(local));
        var store = new LocalConfigurationStore(_dir.Path);
        Assert.True(store.Load().Success);
        return store;
    }
}
