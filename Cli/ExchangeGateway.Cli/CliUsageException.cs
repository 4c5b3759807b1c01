namespace ExchangeGateway.Cli;

/// <summary>The command line cannot be carried out as given (exit code 2): a missing PIN or key, an unreadable file, a bad value.</summary>
public sealed class CliUsageException : Exception
{
    /// <summary>Creates the exception.</summary>
    public CliUsageException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a cause.</summary>
    public CliUsageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception (required by the exception pattern).</summary>
    public CliUsageException()
        : base("The command line is invalid.")
    {
    }
}
