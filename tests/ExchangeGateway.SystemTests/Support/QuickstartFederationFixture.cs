using System.Text.Json;
using ExchangeGateway.Testing.Tools;

namespace ExchangeGateway.SystemTests.Support;

/// <summary>
/// The quickstart federation in its own processes (<c>quickstart --headless</c>, state in a temp folder), up
/// until the class's tests are done; <see cref="Federation"/> is its <c>federation.json</c>.
/// </summary>
public sealed class QuickstartFederationFixture : IAsyncLifetime
{
    private readonly TempDirectory _state = new();
    private ExeProcess? _quickstart;

    public JsonElement Federation { get; private set; }

    /// <summary>ss1's client proxy (the consumer's security server), where client information systems send.</summary>
    public string ClientProxyUrl => Federation.GetProperty("securityServers")[0].GetProperty("clientProxyUrl").GetString()!;

    public string Output => _quickstart?.Output ?? string.Empty;

    public async Task InitializeAsync()
    {
        _quickstart = ExeProcess.Start(Binaries.Quickstart, "--headless", "--state-dir", _state.Path);
        var ready = await _quickstart.WaitForLineAsync("READY ", TimeSpan.FromMinutes(4));
        using var json = JsonDocument.Parse(await File.ReadAllBytesAsync(ready["READY ".Length..].Trim()));
        Federation = json.RootElement.Clone();
    }

    public async Task DisposeAsync()
    {
        if (_quickstart is not null)
        {
            // Closing standard input stops the quickstart and every child it started.
            await _quickstart.DisposeAsync();
        }

        _state.Dispose();
    }
}
