namespace ExchangeGateway.SecurityServer.Registry;

/// <summary>
/// A local client's registration state (X-Road's vocabulary). <c>serverconf.json</c> writes it as
/// <c>saved</c>, <c>registration-in-progress</c>, <c>registered</c>, <c>deletion-in-progress</c>,
/// <c>global-error</c>, <c>disabling-in-progress</c>, <c>disabled</c>, <c>enabling-in-progress</c>.
/// </summary>
public enum ClientStatus
{
    /// <summary>Configured here, not sent to the Central Server.</summary>
    Saved = 0,

    /// <summary>The registration request was accepted; the global configuration does not show it yet.</summary>
    RegistrationInProgress,

    /// <summary>The global configuration shows it on this server.</summary>
    Registered,

    /// <summary>The deletion request was accepted; the global configuration still shows it.</summary>
    DeletionInProgress,

    /// <summary>Was registered; the global configuration no longer shows it and nobody asked for that.</summary>
    GlobalError,

    /// <summary>The disable request was accepted; not yet in the global configuration.</summary>
    DisablingInProgress,

    /// <summary>Disabled: it neither consumes nor provides.</summary>
    Disabled,

    /// <summary>The enable request was accepted; the global configuration still shows it disabled.</summary>
    EnablingInProgress,
}
