namespace ExchangeGateway.MessageLog.Storage;

/// <summary>SQLite's <c>synchronous</c> setting for the log's WAL database.</summary>
public enum MessageLogSynchronous
{
    /// <summary>
    /// fsync on every commit: an acknowledged record survives power loss. The default: the log is evidence.
    /// </summary>
    Full = 0,

    /// <summary>
    /// fsync only at WAL checkpoints: an acknowledged record survives a process crash (SIGKILL) but the
    /// last commits may be lost on power loss. Faster where fsync is slow.
    /// </summary>
    Normal = 1,
}
