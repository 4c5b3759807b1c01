namespace ExchangeGateway.SecurityServer.Evidence;

/// <summary>Witnessing log events (4750–4759). Never statement or checkpoint bytes.</summary>
internal static partial class WitnessingLog
{
    [LoggerMessage(EventId = 4751, Level = LogLevel.Information, Message = "Checkpoint of {TreeSize} records witnessed by {WitnessUrl}")]
    internal static partial void Witnessed(ILogger logger, long treeSize, string witnessUrl);

    [LoggerMessage(EventId = 4752, Level = LogLevel.Warning, Message = "Witnessing failed ({Code}): {Detail}")]
    internal static partial void Failed(ILogger logger, string code, string detail);

    [LoggerMessage(EventId = 4753, Level = LogLevel.Error, Message = "This message log does not extend what the Central Server witnessed ({Code}): {Detail}")]
    internal static partial void HistoryChanged(ILogger logger, string code, string detail);

    [LoggerMessage(EventId = 4754, Level = LogLevel.Debug, Message = "Witnessing skipped: {Reason}")]
    internal static partial void Skipped(ILogger logger, string reason);
}
