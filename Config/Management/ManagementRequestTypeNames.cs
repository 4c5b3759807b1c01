using System.Diagnostics.CodeAnalysis;

namespace ExchangeGateway.Config.Management;

/// <summary>The wire names of management request types; the only place they are spelled.</summary>
public static class ManagementRequestTypeNames
{
    /// <summary>The wire name of <paramref name="type"/>, e.g. <c>auth-cert-registration</c>.</summary>
    public static string Name(ManagementRequestType type) => type switch
    {
        ManagementRequestType.AuthCertRegistration => "auth-cert-registration",
        ManagementRequestType.ClientRegistration => "client-registration",
        ManagementRequestType.ClientDeletion => "client-deletion",
        ManagementRequestType.AddressChange => "address-change",
        ManagementRequestType.AuthCertDeletion => "auth-cert-deletion",
        ManagementRequestType.ClientDisable => "client-disable",
        ManagementRequestType.ClientEnable => "client-enable",
        ManagementRequestType.OwnerChange => "owner-change",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    /// <summary>Parses a wire type name (exact).</summary>
    public static bool TryParse(string? name, [NotNullWhen(true)] out ManagementRequestType? type)
    {
        type = Enum.GetValues<ManagementRequestType>().Cast<ManagementRequestType?>().FirstOrDefault(t => string.Equals(Name(t!.Value), name, StringComparison.Ordinal));
        return type is not null;
    }
}
