namespace ExchangeGateway.Cli;

/// <summary>The exit codes of <c>xgw</c>; install scripts branch on them.</summary>
public static class ExitCodes
{
    /// <summary>Done.</summary>
    public const int Ok = 0;

    /// <summary>The admin API refused the request (the code and detail are printed).</summary>
    public const int Refused = 1;

    /// <summary>The command line is wrong: unknown command, missing argument, no PIN or API key given, unreadable input file.</summary>
    public const int Usage = 2;

    /// <summary>The server could not be reached, or a request or <c>xgw wait</c> timed out.</summary>
    public const int Unreachable = 3;
}
