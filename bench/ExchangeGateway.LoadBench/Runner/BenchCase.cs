namespace ExchangeGateway.LoadBench.Runner;

/// <summary>
/// One of the three paths the bench compares, for one protocol, ready to load: where to send, which X-Road
/// identifiers a SOAP request carries, and which processes (name, PID) serve it.
/// </summary>
internal sealed record BenchCase(
    char Key,
    BenchProtocol Protocol,
    string Title,
    Uri Url,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    IReadOnlyList<KeyValuePair<string, int>> Servers,
    string? SoapClient = null,
    string? SoapService = null)
{
    /// <summary>Unique within a run: the case letter and the protocol ("c-SOAP").</summary>
    public string Id => $"{Key}-{Protocol}";

    public string ServerProcesses => string.Join(", ", Servers.Select(s => s.Key));
}
