using ExchangeGateway.Testing.Tools;

namespace ExchangeGateway.CentralServer.Tests.Support;

/// <summary>A fresh Central Server per test: its own directory, port and initial administrator key.</summary>
internal sealed class ServerFixture : IAsyncDisposable
{
    private readonly TempDirectory _dir;

    private ServerFixture(TempDirectory dir, CentralServerInstance server)
    {
        _dir = dir;
        Server = server;
        Admin = server.Client(server.AdminKey);
    }

    public CentralServerInstance Server { get; }

    public HttpClient Admin { get; }

    public static async Task<ServerFixture> StartAsync(params string[] extraArgs)
    {
        var dir = new TempDirectory();
        var server = await CentralServerInstance.StartAsync(dir.File("central"), extraArgs: extraArgs);
        Assert.NotNull(server.AdminKey);
        return new ServerFixture(dir, server);
    }

    public async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        await Server.DisposeAsync();
        _dir.Dispose();
    }
}
