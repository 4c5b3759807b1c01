using ExchangeGateway.Common.Crypto.Merkle;

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

/// <summary>
/// That record <see cref="Sequence"/> (leaf <see cref="LeafIndex"/> = sequence − 1) is in the tree of
/// <see cref="Checkpoint"/>: RFC 6962 audit path, nearest the leaf first.
/// </summary>
/// <param name="Sequence">The record's sequence (1-based).</param>
/// <param name="LeafHash">The record's stored leaf hash.</param>
/// <param name="Proof">The audit path.</param>
/// <param name="Checkpoint">The signed checkpoint whose root the path leads to.</param>
public sealed record InclusionProofResult(long Sequence, MerkleHash LeafHash, IReadOnlyList<MerkleHash> Proof, StoredCheckpoint Checkpoint)
{
    /// <summary>The leaf index in the tree: records are numbered from 1, leaves from 0.</summary>
    public long LeafIndex => Sequence - 1;
}

/// <summary>That the tree of <see cref="To"/> extends the tree of <see cref="From"/> (RFC 6962 §2.1.2).</summary>
/// <param name="From">The older signed checkpoint.</param>
/// <param name="To">The newer signed checkpoint.</param>
/// <param name="Proof">The consistency proof; empty when the sizes are equal.</param>
public sealed record ConsistencyProofResult(StoredCheckpoint From, StoredCheckpoint To, IReadOnlyList<MerkleHash> Proof);
