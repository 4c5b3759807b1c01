namespace ExchangeGateway.Signer.Tokens;

/// <summary>The stable codes of token failures (admin API problem details carry them unchanged).</summary>
public static class TokenErrors
{
    /// <summary>The token has no PIN yet.</summary>
    public const string NotInitialised = "signer.token_not_initialised";

    /// <summary>The token already has a PIN.</summary>
    public const string AlreadyInitialised = "signer.token_already_initialised";

    /// <summary>The new PIN breaks the PIN policy.</summary>
    public const string PinPolicy = "signer.pin_policy";

    /// <summary>The PIN is wrong (the attempt counted towards the lockout).</summary>
    public const string WrongPin = "signer.wrong_pin";

    /// <summary>Too many wrong PINs: the token refuses logins until the lockout ends.</summary>
    public const string LockedOut = "signer.token_locked_out";

    /// <summary>The operation needs the keys and the token is logged out.</summary>
    public const string NotActive = "signer.token_not_active";

    /// <summary>No key with that id.</summary>
    public const string KeyNotFound = "signer.key_not_found";

    /// <summary>No certificate with that id.</summary>
    public const string CertificateNotFound = "signer.certificate_not_found";

    /// <summary>No CSR with that id.</summary>
    public const string CsrNotFound = "signer.csr_not_found";

    /// <summary>The imported certificate certifies no key of this token.</summary>
    public const string CertificateMatchesNoKey = "signer.certificate_matches_no_key";

    /// <summary>The imported certificate's key usage does not fit the key's usage (a TLS certificate for a signing key, or the reverse).</summary>
    public const string CertificateWrongUsage = "signer.certificate_wrong_usage";

    /// <summary>The imported signing certificate's subject does not name the member of the key it certifies (read with the CA's subject profile).</summary>
    public const string CertificateWrongMember = "signer.certificate_wrong_member";

    /// <summary>The certificate is already in the token.</summary>
    public const string CertificateAlreadyExists = "signer.certificate_already_exists";

    /// <summary>The certificate cannot be decoded, is outside its validity, or uses a refused algorithm.</summary>
    public const string CertificateInvalid = "signer.certificate_invalid";

    /// <summary>The requested state change is not allowed from the current state.</summary>
    public const string InvalidState = "signer.invalid_state";

    /// <summary>The key or certificate is in use (registered, or registration or deletion in progress).</summary>
    public const string InUse = "signer.key_in_use";

    /// <summary>An argument is invalid (friendly name, missing member for a signing key, unknown algorithm).</summary>
    public const string InvalidRequest = "signer.invalid_request";
}
