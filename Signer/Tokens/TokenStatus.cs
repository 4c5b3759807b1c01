namespace ExchangeGateway.Signer.Tokens;

/// <summary>Where a software token stands.</summary>
public enum TokenStatus
{
    /// <summary>No PIN has been set yet: the token holds nothing.</summary>
    Uninitialised = 0,

    /// <summary>Initialised, keys encrypted and unusable until someone logs in with the PIN.</summary>
    LoggedOut,

    /// <summary>The PIN was given: keys can sign.</summary>
    LoggedIn,

    /// <summary>Too many wrong PINs: no login is accepted, not even with the right PIN, until the lockout ends.</summary>
    LockedOut,
}
