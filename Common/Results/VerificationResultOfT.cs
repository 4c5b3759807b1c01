using System.Diagnostics.CodeAnalysis;

namespace ExchangeGateway.Common.Results;

/// <summary>A verification outcome that carries a value when valid (for example the signer's certificate).</summary>
public readonly struct VerificationResult<T>
    where T : notnull
{
    private VerificationResult(T? value, TrustFailure? failure, string? message)
    {
        Value = value;
        Failure = failure;
        Message = message;
    }

    /// <summary>True when every check passed and <see cref="Value"/> is set.</summary>
    [MemberNotNullWhen(true, nameof(Value))]
    [MemberNotNullWhen(false, nameof(Failure), nameof(Message))]
    public bool IsValid => Failure is null;

    /// <summary>The verified value.</summary>
    public T? Value { get; }

    /// <summary>Why verification failed; null when valid.</summary>
    public TrustFailure? Failure { get; }

    /// <summary>What failed, for people.</summary>
    public string? Message { get; }

    /// <summary>A success carrying its value.</summary>
    public static VerificationResult<T> Ok(T value) => new(value, null, null);

    /// <summary>A failure with its reason.</summary>
    public static VerificationResult<T> Fail(TrustFailure failure, string message)
    {
        ArgumentException.ThrowIfNullOrEmpty(message);
        return new(default, failure, message);
    }

    /// <summary>Carries another result's failure over to this type.</summary>
    public static VerificationResult<T> From(VerificationResult failed)
    {
        ArgumentNullException.ThrowIfNull(failed);
        if (failed.IsValid)
        {
            throw new ArgumentException("Only a failed result can be converted without a value.", nameof(failed));
        }

        return new(default, failed.Failure, failed.Message);
    }

    /// <summary>Drops the value.</summary>
    public VerificationResult ToResult() => IsValid ? VerificationResult.Ok : VerificationResult.Fail(Failure.Value, Message);

    /// <inheritdoc />
    public override string ToString() => IsValid ? $"valid({Value})" : $"{Failure.Value.ToCode()}: {Message}";
}
