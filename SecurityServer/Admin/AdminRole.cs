namespace ExchangeGateway.SecurityServer.Admin;

/// <summary>A role an admin API key holds (ARCHITECTURE.md §8; the remaining roles come with the full admin API).</summary>
public enum AdminRole
{
    /// <summary><c>system-administrator</c>: everything, including API keys (from loopback).</summary>
    SystemAdministrator,

    /// <summary><c>service-administrator</c>: clients, services and access rights.</summary>
    ServiceAdministrator,

    /// <summary><c>observer</c>: read only.</summary>
    Observer,
}
