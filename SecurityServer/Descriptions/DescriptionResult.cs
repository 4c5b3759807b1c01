using System.Diagnostics.CodeAnalysis;

namespace ExchangeGateway.SecurityServer.Descriptions;

/// <summary>The outcome of a <see cref="ServiceDescriptions"/> operation: a value, or why nothing changed.</summary>
/// <typeparam name="T">The value on success.</typeparam>
public readonly record struct DescriptionResult<T>
{
    private DescriptionResult(T? value, DescriptionFailure? failure)
    {
        Value = value;
        Failure = failure;
    }

    /// <summary>The value; default on failure.</summary>
    public T? Value { get; }

    /// <summary>Why nothing changed; null on success.</summary>
    public DescriptionFailure? Failure { get; }

    /// <summary>True on success.</summary>
    [MemberNotNullWhen(false, nameof(Failure))]
    public bool Success => Failure is null;

    /// <summary>A success.</summary>
    public static DescriptionResult<T> Ok(T value) => new(value, null);

    /// <summary>A failure.</summary>
    public static DescriptionResult<T> Fail(DescriptionFailureKind kind, string message) => new(default, new DescriptionFailure(kind, message));

    /// <summary>A failure.</summary>
    public static DescriptionResult<T> Fail(DescriptionFailure failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        return new(default, failure);
    }
}
