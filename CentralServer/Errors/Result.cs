using System.Diagnostics.CodeAnalysis;

namespace ExchangeGateway.CentralServer.Errors;

/// <summary>A value or an expected <see cref="Errors.Failure"/>; bugs stay exceptions.</summary>
public readonly struct Result<T>
{
    private Result(T? value, Failure? failure)
    {
        Value = value;
        Failure = failure;
    }

    /// <summary>True when <see cref="Value"/> holds the outcome.</summary>
    [MemberNotNullWhen(false, nameof(Failure))]
    public bool Success => Failure is null;

    /// <summary>The outcome; default when failed.</summary>
    public T? Value { get; }

    /// <summary>Why it failed; null on success.</summary>
    public Failure? Failure { get; }

    /// <summary>A successful result.</summary>
    public static Result<T> Ok(T value) => new(value, null);

    /// <summary>A failed result.</summary>
    public static Result<T> Fail(Failure failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        return new(default, failure);
    }

    /// <summary>A successful result.</summary>
    [SuppressMessage("Usage", "CA2225:Operator overloads have named alternates", Justification = "Ok is the named alternate.")]
    public static implicit operator Result<T>(T value) => Ok(value);

    /// <summary>A failed result.</summary>
    [SuppressMessage("Usage", "CA2225:Operator overloads have named alternates", Justification = "Fail is the named alternate.")]
    public static implicit operator Result<T>(Failure failure) => Fail(failure);
}
