namespace ExchangeGateway.MessageLog.Storage;

/// <summary>Why <see cref="MessageLogStore.Read"/> returned no record.</summary>
public enum RecordReadFailure
{
    /// <summary>Nothing: the record was read.</summary>
    None = 0,

    /// <summary>The log has no record with that sequence.</summary>
    UnknownSequence,

    /// <summary>The record is archived and its archive file is not in the archive directory (moved away or deleted).</summary>
    ArchiveUnavailable,

    /// <summary>
    /// The record is archived but its archive cannot be read, does not hold it, or holds content that does not
    /// hash to the live leaf (corruption or tampering: run the verifier with the archive directory).
    /// </summary>
    ArchiveInvalid,
}
