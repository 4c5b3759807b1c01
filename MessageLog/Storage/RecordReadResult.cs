namespace ExchangeGateway.MessageLog.Storage;

/// <summary>The outcome of <see cref="MessageLogStore.Read"/>: the record, or why there is none.</summary>
public sealed class RecordReadResult
{
    private RecordReadResult(StoredRecord? record, RecordReadFailure failure, long sequence, long? archiveId, string? message)
    {
        Record = record;
        Failure = failure;
        Sequence = sequence;
        ArchiveId = archiveId;
        Message = message;
    }

    /// <summary>True when <see cref="Record"/> is set.</summary>
    public bool IsSuccess => Failure == RecordReadFailure.None;

    /// <summary>The record; null on failure.</summary>
    public StoredRecord? Record { get; }

    /// <summary>Why there is no record; <see cref="RecordReadFailure.None"/> on success.</summary>
    public RecordReadFailure Failure { get; }

    /// <summary>The sequence asked for.</summary>
    public long Sequence { get; }

    /// <summary>The archive the record is in (also on failure, when the live row names one).</summary>
    public long? ArchiveId { get; }

    /// <summary>What was wrong, for the operator (never record content); null on success.</summary>
    public string? Message { get; }

    internal static RecordReadResult Ok(StoredRecord record) => new(record, RecordReadFailure.None, record.Logged.Sequence, record.ArchiveId, null);

    internal static RecordReadResult Fail(RecordReadFailure failure, long sequence, long? archiveId, string message) => new(null, failure, sequence, archiveId, message);

    /// <inheritdoc />
    public override string ToString() => IsSuccess ? $"record {Sequence}" : $"{Failure} (record {Sequence}): {Message}";
}
