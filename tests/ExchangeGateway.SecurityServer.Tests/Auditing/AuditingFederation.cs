using ExchangeGateway.SecurityServer.Tests.Exchange;

namespace ExchangeGateway.SecurityServer.Tests.Auditing;

/// <summary>The test federation with the integrity monitor running every 250 ms on both servers.</summary>
public sealed class AuditingFederation : Federation
{
    public const string IntegrityInterval = "00:00:00.250";

    protected override Task<IAsyncDisposable> LaunchAsync(string name, string[] arguments, TimeProvider clock) =>
        base.LaunchAsync(name, [.. arguments, $"--SecurityServer:IntegrityCheckInterval={IntegrityInterval}"], clock);
}
