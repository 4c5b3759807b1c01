using ExchangeGateway.Common.Identifiers;

namespace ExchangeGateway.Config.Model;

/// <summary>A registered security server: where it listens, which TLS keys are its own, whom it hosts.</summary>
public sealed record SecurityServerInfo
{
    /// <summary>Creates a security server entry.</summary>
    /// <param name="id">The server's identifier (owner member and server code).</param>
    /// <param name="address">Host name or IP address, optionally with <c>:port</c> (IPv6 in brackets).</param>
    /// <param name="authenticationCertificateHashes">SHA-256 of each registered authentication certificate's DER, lowercase hex.</param>
    /// <param name="clients">The members and subsystems the server hosts.</param>
    public SecurityServerInfo(SecurityServerId id, string address, IEnumerable<string> authenticationCertificateHashes, IEnumerable<ClientId> clients)
    {
        Id = id;
        Address = address;
        AuthenticationCertificateHashes = Frozen.List(authenticationCertificateHashes, nameof(authenticationCertificateHashes));
        Clients = Frozen.List(clients, nameof(clients));
    }

    /// <summary>The server's identifier.</summary>
    public SecurityServerId Id { get; init => field = value ?? throw new ArgumentNullException(nameof(Id)); }

    /// <summary><c>host[:port]</c> of the server proxy.</summary>
    public string Address { get; init => field = value ?? throw new ArgumentNullException(nameof(Address)); }

    /// <summary>SHA-256 hashes (64 lowercase hex digits) of the DER of the registered authentication certificates.</summary>
    public IReadOnlyList<string> AuthenticationCertificateHashes { get; init => field = Frozen.List(value, nameof(AuthenticationCertificateHashes)); }

    /// <summary>The clients (members or subsystems) hosted by the server.</summary>
    public IReadOnlyList<ClientId> Clients { get; init => field = Frozen.List(value, nameof(Clients)); }

    /// <summary>
    /// The hosted clients the Central Server marked disabled (a <c>client-disable</c> request): they neither
    /// consume nor provide until enabled again. Each is also in <see cref="Clients"/>. Serialised as
    /// <c>disabledClients</c> only when non-empty, so documents without disabled clients keep their bytes.
    /// </summary>
    public IReadOnlyList<ClientId> DisabledClients { get; init => field = Frozen.List(value, nameof(DisabledClients)); } = [];

    /// <summary>True when <paramref name="client"/> is hosted here and marked disabled.</summary>
    public bool IsDisabled(ClientId client)
    {
        ArgumentNullException.ThrowIfNull(client);
        foreach (var disabled in DisabledClients)
        {
            if (disabled == client)
            {
                return true;
            }
        }

        return false;
    }
}
