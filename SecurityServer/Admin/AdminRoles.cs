using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;

namespace ExchangeGateway.SecurityServer.Admin;

/// <summary>The role matrix (ISSUE6-CONTRACTS.md) and the roles' names; the only place that decides who may do what.</summary>
public static class AdminRoles
{
    private static readonly FrozenDictionary<AdminRole, FrozenSet<AdminPermission>> Matrix = new Dictionary<AdminRole, FrozenSet<AdminPermission>>
    {
        [AdminRole.SystemAdministrator] = FrozenSet.ToFrozenSet(Enum.GetValues<AdminPermission>().Where(p => p != AdminPermission.ReadMessageLog)),
        [AdminRole.SecurityOfficer] = FrozenSet.ToFrozenSet([AdminPermission.ReadRegistry, AdminPermission.ManageKeys, AdminPermission.ReadDiagnostics]),
        [AdminRole.RegistrationOfficer] = FrozenSet.ToFrozenSet([AdminPermission.ReadRegistry, AdminPermission.ManageClients, AdminPermission.ReadDiagnostics]),
        [AdminRole.ServiceAdministrator] = FrozenSet.ToFrozenSet([AdminPermission.ReadRegistry, AdminPermission.ManageServices, AdminPermission.ReadDiagnostics]),
        [AdminRole.Observer] = FrozenSet.ToFrozenSet([AdminPermission.ReadRegistry, AdminPermission.ReadDiagnostics]),
        [AdminRole.Auditor] = FrozenSet.ToFrozenSet([AdminPermission.ReadMessageLog, AdminPermission.ReadAudit]),
    }.ToFrozenDictionary();

    private static readonly FrozenDictionary<string, AdminRole> ByName = Enum.GetValues<AdminRole>().ToFrozenDictionary(Name, r => r, StringComparer.Ordinal);

    /// <summary>The role names accepted on input, sorted.</summary>
    public static IEnumerable<string> Names => ByName.Keys.Order(StringComparer.Ordinal);

    /// <summary>True when any of <paramref name="roles"/> grants <paramref name="permission"/>.</summary>
    public static bool Grants(IEnumerable<AdminRole> roles, AdminPermission permission)
    {
        ArgumentNullException.ThrowIfNull(roles);
        return roles.Any(r => Matrix.TryGetValue(r, out var granted) && granted.Contains(permission));
    }

    /// <summary>The name of a role, e.g. <c>service-administrator</c>.</summary>
    public static string Name(AdminRole role) => role switch
    {
        AdminRole.SystemAdministrator => "system-administrator",
        AdminRole.SecurityOfficer => "security-officer",
        AdminRole.RegistrationOfficer => "registration-officer",
        AdminRole.ServiceAdministrator => "service-administrator",
        AdminRole.Observer => "observer",
        AdminRole.Auditor => "auditor",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, null),
    };

    /// <summary>Parses a role name (exact, lowercase).</summary>
    public static bool TryParse(string? name, [NotNullWhen(true)] out AdminRole? role)
    {
        if (name is not null && ByName.TryGetValue(name, out var found))
        {
            role = found;
            return true;
        }

        role = null;
        return false;
    }
}
