using Microsoft.Extensions.Logging;

namespace ExchangeGateway.MessageLog.Archiving;

/// <summary>The archiver's log events (ids 463x). Counts, sequences, file names and reasons; never record content.</summary>
internal static partial class ArchiveEvents
{
    [LoggerMessage(EventId = 4630, Level = LogLevel.Information, Message = "Archive {Id} written: records {First} to {Last} in {FileName} ({Bytes} bytes, {Bodies} bodies, encrypted: {Encrypted})")]
    public static partial void Archived(ILogger logger, long id, long first, long last, string fileName, long bytes, long bodies, bool encrypted);

    [LoggerMessage(EventId = 4631, Level = LogLevel.Information, Message = "Body retention erased {Count} bodies of records older than {Cutoff:O}")]
    public static partial void BodiesErased(ILogger logger, long count, DateTimeOffset cutoff);

    [LoggerMessage(EventId = 4632, Level = LogLevel.Error, Message = "Retention pass stopped: {Reason}")]
    public static partial void PassFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 4633, Level = LogLevel.Warning, Message = "Replacing {FileName}: a file of archive {Id} that the database does not name (left by an interrupted pass)")]
    public static partial void OrphanReplaced(ILogger logger, string fileName, long id);

    [LoggerMessage(EventId = 4634, Level = LogLevel.Critical, Message = "Retention pass failed unexpectedly")]
    public static partial void PassBug(ILogger logger, Exception exception);
}
