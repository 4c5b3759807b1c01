using ExchangeGateway.Common.Errors;

namespace ExchangeGateway.SecurityServer.Exchange;

/// <summary>Source-generated log events of the exchange; each failure is logged once, where it is decided. Bodies are never logged.</summary>
internal static partial class ExchangeLog
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "{Side} proxy refused an exchange: {Code} (detail {Detail}): {Reason}")]
    public static partial void Refused(ILogger logger, string side, string code, Guid detail, string reason);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Error, Message = "{Side} proxy failed unexpectedly (detail {Detail})")]
    public static partial void Unexpected(ILogger logger, string side, Guid detail, Exception exception);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Debug, Message = "The caller went away during an exchange on the {Side} proxy")]
    public static partial void CallerGone(ILogger logger, string side);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Warning, Message = "The {Side} proxy could not log the outcome of request {RequestId}: {Reason}")]
    public static partial void OutcomeNotLogged(ILogger logger, string side, Guid requestId, string reason);

    /// <summary>Logs a refusal with its code; the message goes through the escaping of structured logging, never raw.</summary>
    public static void Refused(ILogger logger, string side, ExchangeError error) => Refused(logger, side, error.Code.Value, error.Detail, error.Message);
}
