namespace ExchangeGateway.Quickstart;

/// <summary>
/// An expected failure of the quickstart (a port in use, a child that died, a registration that never
/// showed): its message is printed as the reason and the process exits non-zero.
/// </summary>
internal sealed class QuickstartException : Exception
{
    public QuickstartException()
    {
    }

    public QuickstartException(string message)
        : base(message)
    {
    }

    public QuickstartException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
