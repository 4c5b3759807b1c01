using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;

namespace ExchangeGateway.CentralServer.Auth;

/// <summary>The role matrix and the roles' text names; the only place that decides who may do what.</summary>
public static class Roles
{
    private static readonly FrozenDictionary<Role, FrozenSet<Permission>> Matrix = new Dictionary<Role, FrozenSet<Permission>>
    {
        [Role.Observer] = FrozenSet.ToFrozenSet([Permission.ReadRegistry, Permission.ReadAudit]),
        [Role.RegistrationOfficer] = FrozenSet.ToFrozenSet([Permission.ReadRegistry, Permission.ReadAudit, Permission.ManageRegistrations, Permission.ManageRequests]),
        [Role.SecurityOfficer] = FrozenSet.ToFrozenSet([Permission.ReadRegistry, Permission.ReadAudit, Permission.ManageTrustServices, Permission.ManageSigningKeys]),
        [Role.SystemAdministrator] = FrozenSet.ToFrozenSet(Enum.GetValues<Permission>()),
    }.ToFrozenDictionary();

    private static readonly FrozenDictionary<string, Role> ByName = new Dictionary<string, Role>(StringComparer.Ordinal)
    {
        ["system-administrator"] = Role.SystemAdministrator,
        ["security-officer"] = Role.SecurityOfficer,
        ["registration-officer"] = Role.RegistrationOfficer,
        ["observer"] = Role.Observer,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The role names accepted on input, e.g. <c>registration-officer</c>.</summary>
    public static IEnumerable<string> Names => ByName.Keys.Order(StringComparer.Ordinal);

    /// <summary>True when any of <paramref name="roles"/> grants <paramref name="permission"/>.</summary>
    public static bool Grants(IEnumerable<Role> roles, Permission permission)
    {
        ArgumentNullException.ThrowIfNull(roles);
        return roles.Any(r => Matrix.TryGetValue(r, out var granted) && granted.Contains(permission));
    }

    /// <summary>The text name of a role.</summary>
    public static string Name(Role role) => role switch
    {
        Role.SystemAdministrator => "system-administrator",
        Role.SecurityOfficer => "security-officer",
        Role.RegistrationOfficer => "registration-officer",
        Role.Observer => "observer",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, null),
    };

    /// <summary>Parses a role name (exact, lowercase).</summary>
    public static bool TryParse(string? name, [NotNullWhen(true)] out Role? role)
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
