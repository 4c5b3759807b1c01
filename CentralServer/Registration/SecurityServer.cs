using System.Collections.Immutable;
using ExchangeGateway.Common.Identifiers;

namespace ExchangeGateway.CentralServer.Registration;

/// <summary>A registered security server.</summary>
/// <param name="Id">Owner member and server code.</param>
/// <param name="Address">Host name or IP address other servers connect to.</param>
/// <param name="AuthenticationCertificateHashes">SHA-256 of each registered authentication certificate (DER), lowercase hex, sorted.</param>
/// <param name="Clients">Members and subsystems the server hosts, sorted by canonical text.</param>
public sealed record SecurityServer(
    SecurityServerId Id,
    string Address,
    ImmutableArray<string> AuthenticationCertificateHashes,
    ImmutableArray<ClientId> Clients)
{
    /// <summary>The hosted clients marked disabled (each also in <see cref="Clients"/>), sorted by canonical text.</summary>
    public ImmutableArray<ClientId> DisabledClients { get; init; } = [];
}
