using ExchangeGateway.Common.Identifiers;
using ExchangeGateway.Config.Anchors;
using ExchangeGateway.Config.Model;
using ExchangeGateway.Config.Signing;
using ExchangeGateway.Config.Verification;

namespace ExchangeGateway.Quickstart.Federation;

/// <summary>
/// Downloads the signed global configuration and verifies it against the anchor, exactly as a security
/// server does, to see whether the federation's registrations have been published.
/// </summary>
internal sealed class GlobalConfigurationProbe(HttpClient http, string downloadUrl, ConfigurationAnchor anchor)
{
    public static GlobalConfigurationProbe FromAnchorFile(HttpClient http, string anchorPath)
    {
        var anchor = ConfigurationAnchorSerializer.Read(File.ReadAllBytes(anchorPath));
        if (!anchor.Success)
        {
            throw new QuickstartException($"The anchor {anchorPath} is invalid: {anchor.Message}");
        }

        return new GlobalConfigurationProbe(http, anchor.Value.DownloadUrls[0], anchor.Value);
    }

    /// <summary>The current configuration, or null with the reason when it cannot be downloaded or does not verify.</summary>
    public async Task<(GlobalConfiguration? Configuration, string? Problem)> ReadAsync(CancellationToken cancellationToken)
    {
        byte[] bytes;
        try
        {
            bytes = await http.GetByteArrayAsync(new Uri(downloadUrl), cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            return (null, $"cannot download {downloadUrl}: {ex.Message}");
        }

        var signed = SignedConfigurationEnvelope.Read(bytes);
        if (!signed.Success)
        {
            return (null, $"{downloadUrl}: {signed.Message}");
        }

        var verified = new ConfigurationVerifier().Verify(signed.Value, anchor, held: null, TimeProvider.System.GetUtcNow());
        return verified.IsValid ? (verified.Value, null) : (null, $"{downloadUrl} does not verify: {verified.Message}");
    }

    /// <summary>What is still missing for <paramref name="server"/> in <paramref name="configuration"/>; null when it is fully registered.</summary>
    public static string? Missing(GlobalConfiguration configuration, SecurityServerPlan server)
    {
        var registered = configuration.FindSecurityServer(SecurityServerId.Parse(server.ServerId));
        if (registered is null)
        {
            return $"{server.ServerId} is not registered (serial {configuration.Serial})";
        }

        if (registered.AuthenticationCertificateHashes.Count == 0)
        {
            return $"{server.ServerId} has no authentication certificate (serial {configuration.Serial})";
        }

        return registered.Clients.Contains(ClientId.Parse(server.ClientId))
            ? null
            : $"{server.ServerId} does not host {server.ClientId} yet (serial {configuration.Serial})";
    }
}
