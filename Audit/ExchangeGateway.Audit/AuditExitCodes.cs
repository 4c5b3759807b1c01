namespace ExchangeGateway.Audit;

/// <summary>How <c>xgw-audit</c> ends.</summary>
public static class AuditExitCodes
{
    /// <summary>Every check passed.</summary>
    public const int Verified = 0;

    /// <summary>At least one check failed: the evidence does not prove what it claims.</summary>
    public const int Failed = 1;

    /// <summary>The command line was wrong, or an input file is missing or unreadable as its format.</summary>
    public const int Usage = 2;
}
