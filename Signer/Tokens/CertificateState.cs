namespace ExchangeGateway.Signer.Tokens;

/// <summary>
/// The registration state of a certificate in a token. Authentication certificates go through every state;
/// signing certificates are <see cref="Registered"/> when imported and <see cref="Deleted"/> after.
/// </summary>
public enum CertificateState
{
    /// <summary>Imported, not yet sent to the Central Server (authentication certificates only).</summary>
    Saved = 0,

    /// <summary>The registration request was accepted by the Central Server; the global configuration does not show it yet.</summary>
    RegistrationInProgress,

    /// <summary>The global configuration carries it (authentication), or it is usable (signing).</summary>
    Registered,

    /// <summary>The deletion request was accepted; the global configuration still shows it.</summary>
    DeletionInProgress,

    /// <summary>No longer registered; kept for the record until deleted from the token.</summary>
    Deleted,

    /// <summary>Was registered, but the global configuration no longer shows it and nobody asked for that.</summary>
    GlobalError,
}
