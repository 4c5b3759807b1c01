namespace ExchangeGateway.SecurityServer.Admin;

/// <summary>The admin API's log events (4101–4199). Keys appear by their public id only.</summary>
internal static partial class AdminLog
{
    [LoggerMessage(EventId = 4101, Level = LogLevel.Warning, Message = "Admin API request refused: {Reason} from {RemoteAddress}")]
    internal static partial void Unauthenticated(ILogger logger, string reason, string remoteAddress);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "API key {KeyId} may not {Action}")]
    internal static partial void Forbidden(ILogger logger, string keyId, string action);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Warning, Message = "API key {KeyId} tried {Action} from non-loopback address {RemoteAddress}")]
    internal static partial void LoopbackOnly(ILogger logger, string keyId, string action, string remoteAddress);

    [LoggerMessage(EventId = 4104, Level = LogLevel.Information, Message = "Admin change {Action} on {Target} by API key {KeyId}")]
    internal static partial void Changed(ILogger logger, string action, string target, string keyId);

    [LoggerMessage(EventId = 4105, Level = LogLevel.Warning, Message = "Admin change {Action} on {Target} by API key {KeyId} refused: {Code}")]
    internal static partial void ChangeRefused(ILogger logger, string action, string target, string keyId, string code);

    [LoggerMessage(EventId = 4106, Level = LogLevel.Error, Message = "Admin change {Action} on {Target} could not be written; nothing changed")]
    internal static partial void WriteFailed(ILogger logger, Exception exception, string action, string target);

    [LoggerMessage(EventId = 4107, Level = LogLevel.Warning, Message = "API key {KeyId} is over its rate limit; retry after {Seconds} s")]
    internal static partial void RateLimited(ILogger logger, string keyId, int seconds);

    [LoggerMessage(EventId = 4108, Level = LogLevel.Error, Message = "Admin audit line for {Action} on {Target} could not be written")]
    internal static partial void AuditFailed(ILogger logger, Exception exception, string action, string target);
}
