using ExchangeGateway.Common.Results;

namespace ExchangeGateway.Signer.Ocsp;

/// <summary>
/// What <see cref="OcspStatusManager"/> knows about one tracked certificate, for <c>/health/ready</c>
/// and the admin API. Immutable; a new one replaces it after every attempt.
/// </summary>
public sealed record OcspCertificateState
{
    /// <summary>The certificate's subject.</summary>
    public required string Subject { get; init; }

    /// <summary>SHA-256 of the certificate's DER, lowercase hex.</summary>
    public required string CertificateSha256 { get; init; }

    /// <summary>The response held (possibly no longer fresh); null when none was ever obtained.</summary>
    public OcspStapled? Stapled { get; init; }

    /// <summary>When a fetch was last attempted.</summary>
    public DateTimeOffset? LastAttempt { get; init; }

    /// <summary>When a fetch last brought a verified response.</summary>
    public DateTimeOffset? LastSuccess { get; init; }

    /// <summary>Why the last attempt failed; null after a success.</summary>
    public string? LastError { get; init; }

    /// <summary>The last attempt's failure; null after a success.</summary>
    public TrustFailure? LastFailure { get; init; }

    /// <summary>Attempts that failed since the last success (drives the back-off).</summary>
    public int ConsecutiveFailures { get; init; }

    /// <summary>When the background loop fetches next.</summary>
    public DateTimeOffset NextAttemptAt { get; init; }
}
