using System.Diagnostics.CodeAnalysis;
using ExchangeGateway.Config.Management;

namespace ExchangeGateway.CentralServer.Management;

/// <summary>The storage names of request states (the only place they are spelled), and the type names from <see cref="ManagementRequestTypeNames"/>.</summary>
public static class ManagementNames
{
    /// <summary>The wire name of <paramref name="type"/>, e.g. <c>auth-cert-registration</c>.</summary>
    public static string Name(ManagementRequestType type) => ManagementRequestTypeNames.Name(type);

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
    public static bool TryParseType(string? name, [NotNullWhen(true)] out ManagementRequestType? type) =>
        ManagementRequestTypeNames.TryParse(name, out type);

    /// <summary>Parses a state name (exact).</summary>
    public static bool TryParseState(string? name, [NotNullWhen(true)] out ManagementRequestState? state)
    {
        state = Enum.GetValues<ManagementRequestState>().Cast<ManagementRequestState?>().FirstOrDefault(s => string.Equals(Name(s!.Value), name, StringComparison.Ordinal));
        return state is not null;
    }
}
