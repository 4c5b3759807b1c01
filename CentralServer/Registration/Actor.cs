namespace ExchangeGateway.CentralServer.Registration;

/// <summary>Who makes a change, as the audit log records it: an API key (id and name) or a local command.</summary>
/// <param name="KeyId">The API key id; null for a local command.</param>
/// <param name="Name">The key's name, or the command's.</param>
public sealed record Actor(string? KeyId, string Name)
{
    /// <summary>The actor for the first-start initialisation.</summary>
    public static Actor Initialisation { get; } = new(null, "initialisation");

    /// <summary>The actor for the offline <c>create-api-key</c> command.</summary>
    public static Actor OfflineCommand { get; } = new(null, "offline-command");
}
