namespace ExchangeGateway.TrustServices.Ca;

/// <summary>A certificate request the CA will not sign; the message is safe to return to the caller.</summary>
public sealed class CsrRejectedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public CsrRejectedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public CsrRejectedException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public CsrRejectedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
