using System.Diagnostics.CodeAnalysis;

namespace ExchangeGateway.Signer.Enrolment;

/// <summary>
/// The outcome of a <see cref="TokenEnrolment"/>: the certificates handled so far, and the error that
/// stopped it, if any. What was imported before a failure stays; running again picks up where it stopped.
/// </summary>
public sealed record TokenEnrolmentResult
{
    /// <summary>The certificates handled, in order.</summary>
    public required IReadOnlyList<EnrolledCertificate> Certificates { get; init; }

    /// <summary>A stable code from <see cref="SignerErrors"/> (the CA) or <see cref="Tokens.TokenErrors"/> (the token); null on success.</summary>
    public string? ErrorCode { get; init; }

    /// <summary>Why it failed; null on success.</summary>
    public string? Message { get; init; }

    /// <summary>True when every certificate is there.</summary>
    [MemberNotNullWhen(false, nameof(ErrorCode), nameof(Message))]
    public bool Success => ErrorCode is null;
}
