namespace ExchangeGateway.MessageLog.Records;

/// <summary>Where a record's body is, as a reader of the log sees it.</summary>
public enum RecordBodyState
{
    /// <summary>The body is here (<see cref="MessageRecord.Body"/> is set).</summary>
    Present = 0,

    /// <summary>Body logging was off for the service: only the digest was ever kept.</summary>
    NotLogged,

    /// <summary>The body was erased by body retention; the digest (and so the leaf) stays.</summary>
    Erased,

    /// <summary>The body is in an encrypted archive and no decryption key for it is configured here.</summary>
    Encrypted,
}
