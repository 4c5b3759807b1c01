namespace ExchangeGateway.Config.Management;

/// <summary>What a management request asks the Central Server to change.</summary>
public enum ManagementRequestType
{
    /// <summary>Register an authentication certificate for a security server (creating the server if needed): <c>auth-cert-registration</c>.</summary>
    AuthCertRegistration,

    /// <summary>Register a subsystem as a client of a security server: <c>client-registration</c>.</summary>
    ClientRegistration,

    /// <summary>Remove a client from a security server: <c>client-deletion</c>.</summary>
    ClientDeletion,

    /// <summary>Change a security server's address: <c>address-change</c>.</summary>
    AddressChange,

    /// <summary>Remove an authentication certificate from a security server: <c>auth-cert-deletion</c>.</summary>
    AuthCertDeletion,

    /// <summary>Mark a hosted client disabled (it neither consumes nor provides): <c>client-disable</c>.</summary>
    ClientDisable,

    /// <summary>Lift a client's disabled mark: <c>client-enable</c>.</summary>
    ClientEnable,

    /// <summary>Make another member the owner of a security server: <c>owner-change</c>; signed by the new owner.</summary>
    OwnerChange,
}
