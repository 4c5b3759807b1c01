namespace ExchangeGateway.Cli;

/// <summary>The admin API refused a request: its problem-details <c>code</c>, <c>detail</c> and HTTP status.</summary>
public sealed class AdminApiException : Exception
{
    /// <summary>Creates the exception from a refusal.</summary>
    public AdminApiException(string code, string message, int status)
        : base(message)
    {
        Code = code;
        Status = status;
    }

    /// <summary>Creates an exception without a code (required by the exception pattern).</summary>
    public AdminApiException()
        : this("http.unknown", "The admin API refused the request.", 0)
    {
    }

    /// <summary>Creates an exception with a message only (required by the exception pattern).</summary>
    public AdminApiException(string message)
        : this("http.unknown", message, 0)
    {
    }

    /// <summary>Creates an exception with a message and a cause (required by the exception pattern).</summary>
    public AdminApiException(string message, Exception innerException)
        : base(message, innerException)
    {
        Code = "http.unknown";
    }

    /// <summary>The stable code, e.g. <c>signer.wrong_pin</c>; <c>http.{status}</c> when the response carried none.</summary>
    public string Code { get; }

    /// <summary>The HTTP status.</summary>
    public int Status { get; }

    /// <summary>The <c>Retry-After</c> delay of a 429, when the server sent one.</summary>
    public TimeSpan? RetryAfter { get; init; }
}
