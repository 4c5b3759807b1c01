namespace ExchangeGateway.SystemTests.Support;

/// <summary>
/// Tests that run the whole quickstart federation: it listens on fixed ports (ARCHITECTURE.md §11), so two at
/// once would collide. Classes in this collection run one after another, and never beside each other.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class QuickstartPortsCollection
{
    public const string Name = "quickstart federation (fixed ports)";
}
