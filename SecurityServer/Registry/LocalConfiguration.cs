using System.Collections.Frozen;
using System.Collections.Immutable;
using ExchangeGateway.Common.Errors;
using ExchangeGateway.Common.Identifiers;
using ExchangeGateway.Common.Results;

namespace ExchangeGateway.SecurityServer.Registry;

/// <summary>
/// One immutable, validated snapshot of the server's local configuration (<c>serverconf.json</c>): the
/// server's id, its clients and their services. An exchange reads one snapshot from
/// <see cref="LocalConfigurationStore.Current"/> and uses it throughout, so it never sees half a change.
/// Lookups are indexed when the snapshot is built.
/// </summary>
public sealed class LocalConfiguration
{
    private static readonly string MalformedCode = ErrorCode.Server(ErrorCatalog.MalformedServerConf).Value;

    private readonly FrozenDictionary<ClientId, LocalClient> _clients;
    private readonly FrozenDictionary<SubsystemId, LocalClient> _subsystems;

    private LocalConfiguration(SecurityServerId serverId, ImmutableArray<LocalClient> clients)
    {
        ServerId = serverId;
        Clients = clients;
        _clients = clients.ToFrozenDictionary(c => c.Id);
        _subsystems = clients.Where(c => c.Id.IsSubsystem).ToFrozenDictionary(c => c.Id.AsSubsystem()!);
    }

    /// <summary>This security server, e.g. <c>DEV/GOV/70000001/ss1</c>.</summary>
    public SecurityServerId ServerId { get; }

    /// <summary>The server's owner member (the first three parts of <see cref="ServerId"/>).</summary>
    public MemberId Owner => ServerId.Owner;

    /// <summary>The hosted clients, in file order.</summary>
    public ImmutableArray<LocalClient> Clients { get; }

    /// <summary>A configuration with no clients.</summary>
    public static LocalConfiguration Empty(SecurityServerId serverId)
    {
        ArgumentNullException.ThrowIfNull(serverId);
        return new LocalConfiguration(serverId, []);
    }

    /// <summary>Builds a snapshot from trusted values; throws <see cref="ArgumentException"/> when a rule is broken.</summary>
    public static LocalConfiguration Create(SecurityServerId serverId, IEnumerable<LocalClient> clients)
    {
        var result = TryCreate(serverId, clients);
        return result.Success ? result.Value : throw new ArgumentException(result.Message, nameof(clients));
    }

    /// <summary>
    /// Builds a snapshot, checking every rule (<see cref="LocalConfigurationRules"/>) and that client ids are
    /// unique. The failure names the first bad item; its code is <c>server.malformed_server_conf</c>.
    /// </summary>
    public static ParseResult<LocalConfiguration> TryCreate(SecurityServerId serverId, IEnumerable<LocalClient> clients)
    {
        ArgumentNullException.ThrowIfNull(serverId);
        ArgumentNullException.ThrowIfNull(clients);
        var list = clients.ToImmutableArray();
        var seen = new HashSet<ClientId>();
        foreach (var client in list)
        {
            if (client?.Id is null)
            {
                return ParseResult<LocalConfiguration>.Fail(MalformedCode, "a client has no id");
            }

            var problem = LocalConfigurationRules.CheckClient(client, serverId);
            if (problem is not null)
            {
                return ParseResult<LocalConfiguration>.Fail(MalformedCode, problem);
            }

            if (!seen.Add(client.Id))
            {
                return ParseResult<LocalConfiguration>.Fail(MalformedCode, $"client {client.Id} is listed more than once");
            }
        }

        return ParseResult<LocalConfiguration>.Ok(new LocalConfiguration(serverId, list));
    }

    /// <summary>The client, or null when it is not hosted here. Exact, ordinal match.</summary>
    public LocalClient? FindClient(ClientId client)
    {
        ArgumentNullException.ThrowIfNull(client);
        return _clients.GetValueOrDefault(client);
    }

    /// <summary>
    /// The service, or null when no local subsystem offers it. Code and version must both match, ordinally:
    /// a service id without a version finds only an unversioned service (every REST service), and one with a
    /// version only the SOAP service with that version.
    /// </summary>
    public LocalService? FindService(ServiceId service)
    {
        ArgumentNullException.ThrowIfNull(service);
        return _subsystems.TryGetValue(service.Client, out var client)
            && client.FindService(service.ServiceCode) is { } found
            && string.Equals(found.Version, service.ServiceVersion, StringComparison.Ordinal)
                ? found
                : null;
    }

    /// <summary>The hosted subsystem, or null.</summary>
    public LocalClient? FindSubsystem(SubsystemId subsystem)
    {
        ArgumentNullException.ThrowIfNull(subsystem);
        return _subsystems.GetValueOrDefault(subsystem);
    }

    /// <summary>A new snapshot with <paramref name="client"/> added, or replacing the client with its id (in place).</summary>
    public ParseResult<LocalConfiguration> WithClient(LocalClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        var index = IndexOf(client.Id);
        return TryCreate(ServerId, index < 0 ? Clients.Add(client) : Clients.SetItem(index, client));
    }

    /// <summary>A new snapshot without the client; this snapshot when it is not hosted here.</summary>
    public LocalConfiguration WithoutClient(ClientId client)
    {
        ArgumentNullException.ThrowIfNull(client);
        var index = IndexOf(client);
        return index < 0 ? this : new LocalConfiguration(ServerId, Clients.RemoveAt(index));
    }

    private int IndexOf(ClientId id)
    {
        for (var i = 0; i < Clients.Length; i++)
        {
            if (Clients[i].Id == id)
            {
                return i;
            }
        }

        return -1;
    }
}
