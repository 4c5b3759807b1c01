using ExchangeGateway.Common.Identifiers;
using ExchangeGateway.Config.Model;
using ExchangeGateway.SecurityServer.Registry;

namespace ExchangeGateway.SecurityServer.Exchange;

/// <summary>
/// Whether a local client is disabled: the global configuration marks it disabled on this server (the Central
/// Server's word, from a <c>client-disable</c> request) or its local status is <see cref="ClientStatus.Disabled"/>.
/// A disabled client neither consumes (client proxy) nor provides (server proxy); both refuse with
/// <c>client_disabled</c>.
/// </summary>
internal static class DisabledClients
{
    public static bool IsDisabled(LocalConfiguration local, GlobalConfiguration configuration, ClientId client) =>
        local.FindClient(client)?.Status == ClientStatus.Disabled
        || configuration.FindSecurityServer(local.ServerId)?.IsDisabled(client) == true;
}
