namespace ExchangeGateway.MessageLog.Storage;

/// <summary>The outcome of <see cref="MessageLogStore.AppendAsync"/>: a durable sequence number, or why there is none.</summary>
public readonly record struct AppendResult
{
    private AppendResult(long sequence, LogFailure failure, string? message)
    {
        Sequence = sequence;
        Failure = failure;
        Message = message;
    }

    /// <summary>True when the record is committed and <see cref="Sequence"/> is set.</summary>
    public bool IsSuccess => Failure == LogFailure.None;

    /// <summary>The record's sequence number (from 1); 0 when it failed.</summary>
    public long Sequence { get; }

    /// <summary>Why the record was not logged; <see cref="LogFailure.None"/> on success.</summary>
    public LogFailure Failure { get; }

    /// <summary>Details for operators (for example SQLite's error text); null on success. Never contains message content.</summary>
    public string? Message { get; }

    /// <summary>A committed record.</summary>
    public static AppendResult Ok(long sequence) => new(sequence, LogFailure.None, null);

    /// <summary>A failure with its reason.</summary>
    public static AppendResult Fail(LogFailure failure, string message)
    {
        if (failure == LogFailure.None)
        {
            throw new ArgumentException("A failure needs a reason other than None.", nameof(failure));
        }

        ArgumentException.ThrowIfNullOrEmpty(message);
        return new(0, failure, message);
    }

    /// <inheritdoc />
    public override string ToString() => IsSuccess ? $"sequence {Sequence}" : $"{Failure}: {Message}";
}
