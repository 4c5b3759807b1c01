namespace ExchangeGateway.CentralServer.Auth;

/// <summary>What an endpoint needs; <see cref="Roles"/> says which roles grant it.</summary>
public enum Permission
{
    /// <summary>Read the registry and configuration status.</summary>
    ReadRegistry,

    /// <summary>Read the audit log.</summary>
    ReadAudit,

    /// <summary>Create, change and delete member classes.</summary>
    ManageMemberClasses,

    /// <summary>Members, subsystems, security servers (with certificates and clients), global groups.</summary>
    ManageRegistrations,

    /// <summary>Approve or reject management requests.</summary>
    ManageRequests,

    /// <summary>Approved CAs and TSAs.</summary>
    ManageTrustServices,

    /// <summary>Configuration signing keys and their rotation.</summary>
    ManageSigningKeys,

    /// <summary>Create, list and revoke API keys.</summary>
    ManageApiKeys,
}
