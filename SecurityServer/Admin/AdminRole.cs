namespace ExchangeGateway.SecurityServer.Admin;

/// <summary>A role an admin API key holds (ARCHITECTURE.md §8); <see cref="AdminRoles"/> holds what each grants.</summary>
public enum AdminRole
{
    /// <summary><c>system-administrator</c>: everything except reading the message log; API keys and key management from loopback.</summary>
    SystemAdministrator,

    /// <summary><c>security-officer</c>: tokens, keys, CSRs and certificates (from loopback), and reading.</summary>
    SecurityOfficer,

    /// <summary><c>registration-officer</c>: clients and their registration, and reading.</summary>
    RegistrationOfficer,

    /// <summary><c>service-administrator</c>: services, access rights and local groups, and reading.</summary>
    ServiceAdministrator,

    /// <summary><c>observer</c>: read only (registry and diagnostics).</summary>
    Observer,

    /// <summary><c>auditor</c>: the message log and the audit log, nothing else.</summary>
    Auditor,
}
