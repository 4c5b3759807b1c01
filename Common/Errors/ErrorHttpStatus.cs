namespace ExchangeGateway.Common.Errors;

/// <summary>The one place that maps error codes to HTTP status codes.</summary>
public static class ErrorHttpStatus
{
    /// <summary>
    /// The HTTP status a SOAP fault is sent with. X-Road's security server answers SOAP faults with
    /// 200 OK (SOAP 1.1 §6.2 and WS-I BP would say 500); integrators' SOAP clients were written against
    /// that behaviour, so we match it.
    /// </summary>
    public const int SoapFault = 200;

    /// <summary>
    /// The status of a REST error response: 400 for <c>client.*</c>, 500 for every <c>server.*</c>
    /// code. This is X-Road's rule and clients branch on it, so there are deliberately no per-suffix
    /// overrides (not even 413 for <c>request_too_large</c>): a client written for X-Road would not
    /// recognise them as gateway errors.
    /// </summary>
    public static int ForRest(ErrorCode code)
    {
        ArgumentNullException.ThrowIfNull(code);
        return code.Family == ErrorFamily.Client ? 400 : 500;
    }
}
