namespace ExchangeGateway.MessageLog.Storage;

/// <summary>Why the log did not take a record. Each is an expected outcome the caller turns into a refusal.</summary>
public enum LogFailure
{
    /// <summary>Not a failure: the record was committed.</summary>
    None = 0,

    /// <summary>
    /// The database could not commit: disk full or failing, the file read-only, or the database locked by
    /// another process for longer than the busy timeout. Nothing of the batch was written.
    /// </summary>
    DatabaseError,

    /// <summary>
    /// No time-stamped checkpoint has covered the oldest unstamped record for longer than the acceptable
    /// time-stamp failure period, so new requests are refused (fail closed). Responses are still written.
    /// </summary>
    TimestamperFailed,

    /// <summary>The store is shutting down and takes no more records.</summary>
    Closed,
}
