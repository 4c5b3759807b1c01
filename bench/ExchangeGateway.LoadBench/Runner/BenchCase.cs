namespace ExchangeGateway.LoadBench.Runner;

/// <summary>One of the three paths the bench compares, ready to load: where to send and which processes (name, PID) serve it.</summary>
internal sealed record BenchCase(char Key, string Title, Uri Url, IReadOnlyList<KeyValuePair<string, string>> Headers, IReadOnlyList<KeyValuePair<string, int>> Servers)
{
    public string ServerProcesses => string.Join(", ", Servers.Select(s => s.Key));
}
