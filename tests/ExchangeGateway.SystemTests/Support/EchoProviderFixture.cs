namespace ExchangeGateway.SystemTests.Support;

/// <summary>The quickstart's echo provider in its own process (<c>quickstart echo --headless</c>) on a free loopback port.</summary>
public sealed class EchoProviderFixture : IAsyncLifetime
{
    private ExeProcess? _process;

    public Uri BaseAddress { get; private set; } = null!;

    public int ProcessId => _process!.Id;

    public async Task InitializeAsync()
    {
        _process = ExeProcess.Start(Binaries.Quickstart, "echo", "--urls", "http://127.0.0.1:0", "--headless");
        var line = await _process.WaitForLineAsync("echo provider listening on ", TimeSpan.FromSeconds(60));
        BaseAddress = new Uri(line[(line.LastIndexOf(' ') + 1)..].TrimEnd('/') + "/");
    }

    public async Task DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }
    }
}
