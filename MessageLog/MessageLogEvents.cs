using Microsoft.Extensions.Logging;

namespace ExchangeGateway.MessageLog;

/// <summary>The message log's log events (ids 46xx). Never logs message content, only counts, sequences and reasons.</summary>
internal static partial class MessageLogEvents
{
    [LoggerMessage(EventId = 4601, Level = LogLevel.Information, Message = "Message log {Path} opened: {Committed} records, newest time-stamped checkpoint covers {Stamped}")]
    public static partial void Opened(ILogger logger, string path, long committed, long stamped);

    [LoggerMessage(EventId = 4602, Level = LogLevel.Error, Message = "Message log could not commit a batch of {Count} writes; the records were refused: {Reason}")]
    public static partial void CommitFailed(ILogger logger, int count, string reason);

    [LoggerMessage(EventId = 4603, Level = LogLevel.Error, Message = "Message log refuses new requests: records unstamped since {OldestUnstampedAt:O}, longer than the acceptable time-stamp failure period {Period}; backlog {Backlog}")]
    public static partial void RefusingRequests(ILogger logger, DateTimeOffset oldestUnstampedAt, TimeSpan period, long backlog);

    [LoggerMessage(EventId = 4604, Level = LogLevel.Information, Message = "Message log accepts new requests again: time-stamping caught up")]
    public static partial void AcceptingRequests(ILogger logger);

    [LoggerMessage(EventId = 4605, Level = LogLevel.Critical, Message = "Message log writer failed unexpectedly; the batch was refused")]
    public static partial void WriterBug(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4610, Level = LogLevel.Debug, Message = "Checkpoint of {TreeSize} records created")]
    public static partial void CheckpointCreated(ILogger logger, long treeSize);

    [LoggerMessage(EventId = 4611, Level = LogLevel.Warning, Message = "Time-stamping checkpoint {TreeSize} at {Tsa} failed: {Reason}")]
    public static partial void StampFailed(ILogger logger, long treeSize, string tsa, string reason);

    [LoggerMessage(EventId = 4612, Level = LogLevel.Debug, Message = "Checkpoint {TreeSize} time-stamped by {Tsa} at {GenTime:O}")]
    public static partial void Stamped(ILogger logger, long treeSize, string tsa, DateTimeOffset genTime);

    [LoggerMessage(EventId = 4613, Level = LogLevel.Information, Message = "Time-stamping recovered after {Failures} failed attempts: checkpoint {TreeSize} stamped by {Tsa}")]
    public static partial void StampRecovered(ILogger logger, long treeSize, string tsa, int failures);

    [LoggerMessage(EventId = 4614, Level = LogLevel.Error, Message = "Signing checkpoint {TreeSize} failed")]
    public static partial void SignFailed(ILogger logger, long treeSize, Exception exception);

    [LoggerMessage(EventId = 4615, Level = LogLevel.Error, Message = "Storing checkpoint {TreeSize} failed: {Reason}")]
    public static partial void CheckpointStoreFailed(ILogger logger, long treeSize, string reason);

    [LoggerMessage(EventId = 4616, Level = LogLevel.Warning, Message = "No approved time-stamping authority is configured; checkpoint {TreeSize} stays unstamped")]
    public static partial void NoTsa(ILogger logger, long treeSize);

    [LoggerMessage(EventId = 4617, Level = LogLevel.Critical, Message = "Message log integrator failed unexpectedly; retrying")]
    public static partial void IntegratorBug(ILogger logger, Exception exception);
}
