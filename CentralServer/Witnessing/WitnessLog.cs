namespace ExchangeGateway.CentralServer.Witnessing;

/// <summary>Witnessing log events (2500–2599). Never checkpoint bytes or signatures.</summary>
internal static partial class WitnessLog
{
    [LoggerMessage(EventId = 2501, Level = LogLevel.Information, Message = "Witnessed checkpoint of {ServerId}: {TreeSize} records")]
    internal static partial void Witnessed(ILogger logger, string serverId, long treeSize);

    [LoggerMessage(EventId = 2502, Level = LogLevel.Warning, Message = "Checkpoint submission for {ServerId} from {RemoteAddress} refused: {Code}")]
    internal static partial void Refused(ILogger logger, string serverId, string remoteAddress, string code);

    [LoggerMessage(EventId = 2503, Level = LogLevel.Error, Message = "Security server {ServerId} showed a history that does not extend what was witnessed ({Code}): {Detail}")]
    internal static partial void HistoryChanged(ILogger logger, string serverId, string code, string detail);
}
