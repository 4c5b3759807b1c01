using System.Diagnostics.CodeAnalysis;

namespace ExchangeGateway.Signer.Enrolment;

/// <summary>
/// The outcome of an enrolment: the keys handled so far, and the error that stopped it, if any. Keys
/// enrolled before a failure stay enrolled; running again picks up where it stopped.
/// </summary>
public sealed record EnrolmentResult
{
    /// <summary>The keys handled, in order.</summary>
    public required IReadOnlyList<EnrolledKey> Keys { get; init; }

    /// <summary>A stable code from <see cref="SignerErrors"/>; null on success.</summary>
    public string? ErrorCode { get; init; }

    /// <summary>Why it failed; null on success.</summary>
    public string? Message { get; init; }

    /// <summary>True when every key is enrolled.</summary>
    [MemberNotNullWhen(false, nameof(ErrorCode), nameof(Message))]
    public bool Success => ErrorCode is null;
}
