using System.Diagnostics.CodeAnalysis;

namespace ExchangeGateway.Common.Results;

/// <summary>
/// The outcome of a verification: success, or the reason it failed. Verifiers never throw for bad
/// input; they return this. A failure's message names the first bad item so that an auditor sees
/// where the evidence broke.
/// </summary>
public sealed class VerificationResult
{
    private static readonly VerificationResult OkInstance = new(null, null);

    private VerificationResult(TrustFailure? failure, string? message)
    {
        Failure = failure;
        Message = message;
    }

    /// <summary>True when every check passed.</summary>
    [MemberNotNullWhen(false, nameof(Failure), nameof(Message))]
    public bool IsValid => Failure is null;

    /// <summary>Why verification failed; null when valid.</summary>
    public TrustFailure? Failure { get; }

    /// <summary>What failed, for people; null when valid.</summary>
    public string? Message { get; }

    /// <summary>The single success value.</summary>
    public static VerificationResult Ok => OkInstance;

    /// <summary>A failure with its reason.</summary>
    public static VerificationResult Fail(TrustFailure failure, string message)
    {
        ArgumentException.ThrowIfNullOrEmpty(message);
        return new VerificationResult(failure, message);
    }

    /// <inheritdoc />
    public override string ToString() => IsValid ? "valid" : $"{Failure.Value.ToCode()}: {Message}";
}
