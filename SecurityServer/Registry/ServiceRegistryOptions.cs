namespace ExchangeGateway.SecurityServer.Registry;

/// <summary>Settings of the service registry and its admin API, set through <see cref="ServiceRegistryServiceCollectionExtensions.AddServiceRegistry"/>.</summary>
public sealed class ServiceRegistryOptions
{
    /// <summary>
    /// Where <c>serverconf.json</c> and the admin API keys live. Null means the security server's
    /// <c>SecurityServer:DataDirectory</c> setting.
    /// </summary>
    public string? DataDirectory { get; set; }

    /// <summary>
    /// True to refuse to start without <c>serverconf.json</c>. When false (the default) the server starts
    /// without it, serves no client, and the admin API answers <c>registry.not_initialised</c>. An invalid
    /// file always stops the start.
    /// </summary>
    public bool RequireConfiguration { get; set; }

    /// <summary>The largest admin API request body, in bytes; larger bodies get 413.</summary>
    public int MaxAdminRequestBytes { get; set; } = 64 * 1024;
}
