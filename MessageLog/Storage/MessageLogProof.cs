namespace ExchangeGateway.MessageLog.Storage;

/// <summary>
/// A proof served by <see cref="MessageLogProofs"/>, or why there is none. <see cref="Item"/> names the
/// first bad item of a refused request (the sequence or tree size).
/// </summary>
/// <typeparam name="T">The proof.</typeparam>
public sealed class MessageLogProof<T>
    where T : class
{
    private MessageLogProof(T? value, MessageLogProofFailure? failure, long? item, string? message)
    {
        Value = value;
        Failure = failure;
        Item = item;
        Message = message;
    }

    /// <summary>The proof; null on failure.</summary>
    public T? Value { get; }

    /// <summary>Null when <see cref="Value"/> is set.</summary>
    public MessageLogProofFailure? Failure { get; }

    /// <summary>The sequence or tree size the failure is about.</summary>
    public long? Item { get; }

    /// <summary>What was wrong, for the operator.</summary>
    public string? Message { get; }

    /// <summary>True when <see cref="Value"/> is set.</summary>
    public bool IsSuccess => Value is not null;

    internal static MessageLogProof<T> Ok(T value) => new(value, null, null, null);

    internal static MessageLogProof<T> Fail(MessageLogProofFailure failure, long item, string message) => new(null, failure, item, message);

    /// <inheritdoc />
    public override string ToString() => IsSuccess ? "ok" : $"{Failure} ({Item}): {Message}";
}
