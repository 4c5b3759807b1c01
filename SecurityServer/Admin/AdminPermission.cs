namespace ExchangeGateway.SecurityServer.Admin;

/// <summary>What an admin API endpoint needs; <see cref="AdminRoles.Grants"/> decides which roles have it.</summary>
public enum AdminPermission
{
    /// <summary>Read clients, services and access rights.</summary>
    ReadRegistry,

    /// <summary>Change clients, services and access rights.</summary>
    ManageServices,

    /// <summary>List, create and revoke API keys.</summary>
    ManageApiKeys,

    /// <summary>Initialisation, address, time-stamping services, anchor and backups.</summary>
    ManageSystem,
}
