namespace ExchangeGateway.LoadBench.Runner;

/// <summary>An expected failure of a bench run (a process that did not start, a timeout); printed as the reason.</summary>
internal sealed class BenchException : Exception
{
    public BenchException()
    {
    }

    public BenchException(string message)
        : base(message)
    {
    }

    public BenchException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
