namespace ExchangeGateway.Quickstart;

/// <summary>What the quickstart does once started.</summary>
internal enum QuickstartMode
{
    /// <summary>Start the federation and run until Ctrl-C (or, headless, until standard input closes).</summary>
    Interactive,

    /// <summary>Start the federation, check one exchange and its evidence, stop.</summary>
    Smoke,

    /// <summary>Run only the echo provider.</summary>
    Echo,
}
