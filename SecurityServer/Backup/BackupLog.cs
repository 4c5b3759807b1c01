namespace ExchangeGateway.SecurityServer.Backup;

/// <summary>The backup service's log events (4901–4919). Key material and PINs never appear.</summary>
internal static partial class BackupLog
{
    [LoggerMessage(EventId = 4901, Level = LogLevel.Information, Message = "Backup {Name} created: {Bytes} bytes, {Files} files")]
    internal static partial void Created(ILogger logger, string name, long bytes, int files);

    [LoggerMessage(EventId = 4902, Level = LogLevel.Information, Message = "Backup {Name} deleted")]
    internal static partial void Deleted(ILogger logger, string name);

    [LoggerMessage(EventId = 4903, Level = LogLevel.Warning, Message = "Backup restore refused: {Code}: {Reason}")]
    internal static partial void RestoreRefused(ILogger logger, string code, string reason);

    [LoggerMessage(EventId = 4904, Level = LogLevel.Warning, Message = "Backup of {ServerId} made at {CreatedAt} restored: {Files} files; the token is logged out")]
    internal static partial void Restored(ILogger logger, string serverId, DateTimeOffset createdAt, int files);

    [LoggerMessage(EventId = 4905, Level = LogLevel.Error, Message = "Backup {Operation} failed on the file system; nothing changed")]
    internal static partial void Failed(ILogger logger, Exception exception, string operation);

    [LoggerMessage(EventId = 4906, Level = LogLevel.Error, Message = "The restored local configuration did not load: {Reason}")]
    internal static partial void ReloadFailed(ILogger logger, string reason);
}
