namespace ExchangeGateway.Common.Errors;

/// <summary>
/// An expected failure of an exchange, as reported to the caller: a stable code, a message safe to
/// show, and the id under which the full story is in the server log.
/// </summary>
public sealed record ExchangeError
{
    /// <summary>Creates an error. The detail id is supplied by the caller, who also writes it to the log.</summary>
    public ExchangeError(ErrorCode code, string message, Guid detail)
    {
        ArgumentNullException.ThrowIfNull(code);
        ArgumentNullException.ThrowIfNull(message);
        Code = code;
        Message = message;
        Detail = detail;
    }

    /// <summary>The stable code, e.g. <c>server.serverproxy.access_denied</c>.</summary>
    public ErrorCode Code { get; }

    /// <summary>A human-readable reason. May hold anything; renderers escape and sanitise it.</summary>
    public string Message { get; }

    /// <summary>The id that ties the response to the server's log line.</summary>
    public Guid Detail { get; }
}
