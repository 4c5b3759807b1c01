namespace ExchangeGateway.CentralServer.Management;

/// <summary>
/// Where a management request is in its life: <c>pending</c> → <c>approved</c> or <c>rejected</c>;
/// <c>pending</c> or <c>approved</c> → <c>revoked</c> (withdrawn).
/// </summary>
public enum ManagementRequestState
{
    /// <summary>Verified and stored; waiting for a registration officer.</summary>
    Pending,

    /// <summary>Applied to the registry.</summary>
    Approved,

    /// <summary>Refused by a registration officer; nothing was applied.</summary>
    Rejected,

    /// <summary>Withdrawn. Revoking an approved request does not undo its registry change.</summary>
    Revoked,
}
