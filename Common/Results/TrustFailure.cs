namespace ExchangeGateway.Common.Results;

/// <summary>
/// Why a trust primitive rejected its input. One enum for every verifier in Common so that callers
/// map reasons to X-Road error codes in one place. The snake-case names come from
/// <see cref="TrustFailureExtensions.ToCode"/>.
/// </summary>
public enum TrustFailure
{
    /// <summary>Input could not be decoded (bad DER, bad PEM, wrong structure).</summary>
    Malformed = 1,

    // Certificates and chains.
    /// <summary>The chain does not lead to any of the given trust anchors.</summary>
    UntrustedCertificate,
    /// <summary>A certificate's notAfter is before the validation time.</summary>
    CertificateExpired,
    /// <summary>A certificate's notBefore is after the validation time.</summary>
    CertificateNotYetValid,
    /// <summary>A certificate in the chain has a signature that does not verify.</summary>
    CertificateSignatureInvalid,
    /// <summary>An RSA key below 2048 bits, or an unsupported curve or key type.</summary>
    WeakKey,
    /// <summary>SHA-1, MD5 or an algorithm not on the allow-list.</summary>
    WeakAlgorithm,
    /// <summary>The key usage or extended key usage does not allow the purpose.</summary>
    WrongKeyUsage,
    /// <summary>A CA certificate lacks the CA basic constraint, or a path length is exceeded.</summary>
    InvalidBasicConstraints,
    /// <summary>The certificate is revoked.</summary>
    CertificateRevoked,
    /// <summary>The certificate's status is unknown to its responder.</summary>
    CertificateStatusUnknown,

    // Signatures.
    /// <summary>A signature does not verify over the given content.</summary>
    SignatureInvalid,
    /// <summary>The signed digest does not match the content.</summary>
    DigestMismatch,
    /// <summary>A required signed attribute is missing or wrong (content type, signing certificate).</summary>
    SignedAttributeInvalid,

    // OCSP (RFC 6960).
    /// <summary>The OCSP response status is not <c>successful</c>.</summary>
    OcspResponseUnsuccessful,
    /// <summary>The response does not contain a status for the requested certificate.</summary>
    OcspWrongCertificate,
    /// <summary>The response is signed by a party not authorised to answer for the issuer.</summary>
    OcspUnauthorisedResponder,
    /// <summary>thisUpdate is older than the freshness limit.</summary>
    OcspStale,
    /// <summary>thisUpdate is later than now plus the allowed clock skew.</summary>
    OcspFutureDated,
    /// <summary>nextUpdate has passed.</summary>
    OcspExpired,
    /// <summary>The nonce in the response does not match the request.</summary>
    OcspNonceMismatch,

    // Time-stamps (RFC 3161).
    /// <summary>The TSA answered with a status other than granted.</summary>
    TimeStampRejected,
    /// <summary>The token's message imprint is not the expected hash.</summary>
    TimeStampHashMismatch,
    /// <summary>The token's nonce does not match the request.</summary>
    TimeStampNonceMismatch,

    // Merkle trees (RFC 6962).
    /// <summary>An inclusion or consistency proof does not lead to the claimed root.</summary>
    ProofInvalid,

    /// <summary>A network or protocol failure talking to a trust service.</summary>
    ServiceUnavailable,

    // Added after the first release of this enum: appended so that existing numeric values stay put.
    /// <summary>A time-stamp's genTime lies further in the future than the allowed clock skew.</summary>
    TimeStampFutureDated,
    /// <summary>The time-stamp is signed by a TSA that is not among the approved TSAs.</summary>
    TimeStampTsaNotApproved,

    // Global configuration (ARCHITECTURE.md §6), appended for issue #3.
    /// <summary>A signed document (e.g. a global configuration) is larger than the configured cap.</summary>
    DocumentTooLarge,
    /// <summary>The global configuration's expiresAt has passed.</summary>
    GlobalConfigurationExpired,
    /// <summary>The global configuration's generatedAt lies further in the future than the allowed clock skew.</summary>
    GlobalConfigurationNotYetValid,
    /// <summary>The global configuration's serial is older than the one already held (rollback).</summary>
    GlobalConfigurationRollback,
    /// <summary>The global configuration has the serial of the one held but different bytes.</summary>
    GlobalConfigurationSerialConflict,
    /// <summary>The global configuration belongs to another instance than the anchor's.</summary>
    GlobalConfigurationWrongInstance,
}
