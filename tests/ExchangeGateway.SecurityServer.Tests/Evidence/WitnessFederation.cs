using ExchangeGateway.SecurityServer.Tests.Exchange;

namespace ExchangeGateway.SecurityServer.Tests.Evidence;

/// <summary>
/// The federation with witnessing every second (instead of every 5 minutes), whose security servers can be
/// stopped and started again on the same data directory and ports.
/// </summary>
public sealed class WitnessFederation : Federation
{
    private readonly Dictionary<string, RestartableServer> _restartable = [];

    /// <summary>Stops <paramref name="name"/> (ss1 or ss2); its data directory stays.</summary>
    public Task StopAsync(string name) => _restartable[name].StopAsync();

    /// <summary>Starts <paramref name="name"/> again with the arguments it first started with.</summary>
    public Task StartAsync(string name) => _restartable[name].StartAsync();

    protected override async Task<IAsyncDisposable> LaunchAsync(string name, string[] arguments, TimeProvider clock)
    {
        string[] withWitnessing = [.. arguments, "--SecurityServer:WitnessInterval=00:00:01"];
        var server = new RestartableServer(() => base.LaunchAsync(name, withWitnessing, clock));
        await server.StartAsync();
        _restartable[name] = server;
        return server;
    }

    private sealed class RestartableServer(Func<Task<IAsyncDisposable>> launch) : IAsyncDisposable
    {
        private IAsyncDisposable? _running;

        public async Task StartAsync()
        {
            Assert.Null(_running);
            _running = await launch();
        }

        public async Task StopAsync()
        {
            var running = _running;
            _running = null;
            if (running is not null)
            {
                await running.DisposeAsync();
            }
        }

        public async ValueTask DisposeAsync() => await StopAsync();
    }
}
