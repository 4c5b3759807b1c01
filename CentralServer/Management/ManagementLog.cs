namespace ExchangeGateway.CentralServer.Management;

/// <summary>Management-request log events (2400–2499). Never request bodies or signatures.</summary>
internal static partial class ManagementLog
{
    [LoggerMessage(EventId = 2401, Level = LogLevel.Information, Message = "Management request {RequestId} ({Type}) for {ServerId} received: {State}")]
    internal static partial void Received(ILogger logger, string requestId, string type, string serverId, string state);

    [LoggerMessage(EventId = 2402, Level = LogLevel.Warning, Message = "Management request refused from {RemoteAddress}: {Code}")]
    internal static partial void Refused(ILogger logger, string remoteAddress, string code);

    [LoggerMessage(EventId = 2403, Level = LogLevel.Warning, Message = "Auto-approval of management request {RequestId} refused by the registry: {Code}; it stays pending")]
    internal static partial void AutoApprovalRefused(ILogger logger, string requestId, string code);
}
