namespace ExchangeGateway.SecurityServer.Admin;

/// <summary>What an admin API endpoint needs; <see cref="AdminRoles.Grants"/> decides which roles have it.</summary>
public enum AdminPermission
{
    /// <summary>Read clients, services, access rights, local groups, token/key/certificate metadata, system information, TSAs and the anchor.</summary>
    ReadRegistry,

    /// <summary>Change services, service descriptions, access rights and local groups.</summary>
    ManageServices,

    /// <summary>Add, delete, register, unregister, disable and enable clients; their IS certificates and connection type; owner change.</summary>
    ManageClients,

    /// <summary>Token login, logout and PIN; keys, CSRs, certificate import, activation, deletion and registration (loopback only).</summary>
    ManageKeys,

    /// <summary>Initialisation, the server address, time-stamping services, the anchor and backups.</summary>
    ManageSystem,

    /// <summary>List, create and revoke API keys (loopback only).</summary>
    ManageApiKeys,

    /// <summary>Read diagnostics: global configuration, OCSP, time-stamping and peer reachability.</summary>
    ReadDiagnostics,

    /// <summary>Read the message log's status (and, later, records and evidence).</summary>
    ReadMessageLog,

    /// <summary>Read the admin audit log.</summary>
    ReadAudit,
}
