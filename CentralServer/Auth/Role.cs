namespace ExchangeGateway.CentralServer.Auth;

/// <summary>The roles an API key can hold (X-Road's Central Server roles). A key may hold several.</summary>
public enum Role
{
    /// <summary>Everything, including API keys (<c>system-administrator</c>).</summary>
    SystemAdministrator,

    /// <summary>Approved CAs and TSAs, configuration signing keys (<c>security-officer</c>).</summary>
    SecurityOfficer,

    /// <summary>Members, subsystems, security servers, global groups, management requests (<c>registration-officer</c>).</summary>
    RegistrationOfficer,

    /// <summary>Read only (<c>observer</c>).</summary>
    Observer,
}
