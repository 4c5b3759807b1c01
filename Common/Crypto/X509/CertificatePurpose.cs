namespace ExchangeGateway.Common.Crypto.X509;

/// <summary>What a leaf certificate is being validated for; each purpose fixes the key usages it needs.</summary>
public enum CertificatePurpose
{
    /// <summary>No usage check (chain, time and algorithms only).</summary>
    Any = 0,

    /// <summary>TLS between security servers: digitalSignature, and EKU serverAuth or clientAuth (required, not implied by a missing EKU).</summary>
    Authentication,

    /// <summary>Message signatures: nonRepudiation (contentCommitment) or digitalSignature.</summary>
    Signing,

    /// <summary>A delegated OCSP responder (RFC 6960 §4.2.2.2): EKU id-kp-OCSPSigning.</summary>
    OcspSigning,

    /// <summary>A time-stamping authority (RFC 3161 §2.3): EKU id-kp-timeStamping only, marked critical.</summary>
    TimeStamping,
}
