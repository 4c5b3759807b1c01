using ExchangeGateway.Config.Anchors;
using ExchangeGateway.Config.Client;
using ExchangeGateway.SecurityServer.Admin;
using ExchangeGateway.SecurityServer.Hosting;
using ExchangeGateway.SecurityServer.Registry;
using ExchangeGateway.Signer.Tokens;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ExchangeGateway.SecurityServer.Backup;

/// <summary>Registers <see cref="BackupService"/>.</summary>
public static class BackupServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="BackupService"/> over <c>SecurityServer:DataDirectory</c> and <c>AnchorPath</c>. Needs
    /// <see cref="LocalConfigurationStore"/>, <see cref="SoftwareToken"/>, <see cref="ConfigurationClient"/> (its valid
    /// configuration's approved CAs decide whose backups are accepted) and <see cref="TimeProvider"/>. The admin API's
    /// <c>/backups</c> endpoints use it.
    /// </summary>
    public static IServiceCollection AddBackups(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(sp =>
        {
            var server = sp.GetRequiredService<IOptions<SecurityServerOptions>>().Value;
            var client = sp.GetRequiredService<ConfigurationClient>();
            var service = new BackupService(
                new BackupOptions { DataDirectory = server.DataDirectory, AnchorPath = server.AnchorPath },
                sp.GetRequiredService<LocalConfigurationStore>(),
                sp.GetRequiredService<SoftwareToken>(),
                () => client.TryGetValid(out var configuration) ? configuration : null,
                sp.GetRequiredService<TimeProvider>(),
                sp.GetService<ILogger<BackupService>>());

            // A restored anchor is written to AnchorPath; the configuration client downloads with it from then on.
            service.Restored += (_, _) => FollowAnchor(client, server.AnchorPath);
            var selection = sp.GetRequiredService<TimestampingSelection>();
            service.Restored += (_, _) => selection.Reload();
            return service;
        });
        return services;
    }

    /// <summary>
    /// Makes <paramref name="client"/> use the anchor now in <paramref name="anchorPath"/> when it differs from the
    /// one in use; true when it changed. An unreadable, invalid or other-instance file changes nothing.
    /// </summary>
    public static bool FollowAnchor(ConfigurationClient client, string anchorPath)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrEmpty(anchorPath);
        try
        {
            var info = new FileInfo(anchorPath);
            if (!info.Exists || info.Length > ConfigurationAnchorSerializer.MaxBytes)
            {
                return false;
            }

            var read = ConfigurationAnchorSerializer.Read(File.ReadAllBytes(anchorPath));
            if (!read.Success || read.Value.Sha256Hex() == client.Anchor.Sha256Hex())
            {
                return false;
            }

            client.ReplaceAnchor(read.Value);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return false;
        }
    }
}
