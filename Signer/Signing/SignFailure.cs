namespace ExchangeGateway.Signer.Signing;

/// <summary>Why <see cref="BatchingSigner"/> did not sign. The caller maps these to error codes in one place.</summary>
public enum SignFailure
{
    /// <summary>No signing key (with a certificate) is loaded for the member.</summary>
    NoSigningKey = 1,

    /// <summary>
    /// The signing certificate's OCSP status is not good, or no fresh response is held: fail closed, a
    /// certificate whose status is not known to be good never signs.
    /// </summary>
    OcspNotGood,

    /// <summary>The private-key operation failed.</summary>
    SigningFailed,

    /// <summary>The key's queue is full: back-pressure, the caller should shed load rather than wait.</summary>
    Overloaded,

    /// <summary>The key token is logged out (or locked): no key of it may sign until someone logs in again.</summary>
    TokenNotActive,
}
