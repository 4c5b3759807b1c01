using System.Diagnostics.CodeAnalysis;

namespace ExchangeGateway.CentralServer.Management;

/// <summary>The wire and storage names of request types and states; the only place they are spelled.</summary>
public static class ManagementNames
{
    /// <summary>The wire name of <paramref name="type"/>, e.g. <c>auth-cert-registration</c>.</summary>
    public static string Name(ManagementRequestType type) => type switch
    {
        ManagementRequestType.AuthCertRegistration => "auth-cert-registration",
        ManagementRequestType.ClientRegistration => "client-registration",
        ManagementRequestType.ClientDeletion => "client-deletion",
        ManagementRequestType.AddressChange => "address-change",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    /// <summary>The name of <paramref name="state"/>, e.g. <c>pending</c>.</summary>
    public static string Name(ManagementRequestState state) => state switch
    {
        ManagementRequestState.Pending => "pending",
        ManagementRequestState.Approved => "approved",
        ManagementRequestState.Rejected => "rejected",
        ManagementRequestState.Revoked => "revoked",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, null),
    };

    /// <summary>Parses a wire type name (exact).</summary>
    public static bool TryParseType(string? name, [NotNullWhen(true)] out ManagementRequestType? type)
    {
        type = Enum.GetValues<ManagementRequestType>().Cast<ManagementRequestType?>().FirstOrDefault(t => string.Equals(Name(t!.Value), name, StringComparison.Ordinal));
        return type is not null;
    }

    /// <summary>Parses a state name (exact).</summary>
    public static bool TryParseState(string? name, [NotNullWhen(true)] out ManagementRequestState? state)
    {
        state = Enum.GetValues<ManagementRequestState>().Cast<ManagementRequestState?>().FirstOrDefault(s => string.Equals(Name(s!.Value), name, StringComparison.Ordinal));
        return state is not null;
    }
}
