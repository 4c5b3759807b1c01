using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ExchangeGateway.Common.Identifiers;

namespace ExchangeGateway.Config.Model;

/// <summary>
/// One immutable snapshot of an instance's global configuration (ARCHITECTURE.md §6). Build it with an
/// object initialiser; lists are copied on init, times are held in UTC at whole seconds. Its one byte
/// form comes from <see cref="Serialization.GlobalConfigurationSerializer"/>; compare two snapshots by
/// those bytes (record equality of the lists is by reference). Lookups are indexed on first use.
/// </summary>
public sealed record GlobalConfiguration
{
    // Indexes live outside the record so that a `with` copy never inherits a stale one.
    private static readonly ConditionalWeakTable<GlobalConfiguration, ConfigurationIndex> Indexes = new();

    /// <summary>The instance, e.g. <c>EE</c>.</summary>
    public required string InstanceId { get; init => field = value ?? throw new ArgumentNullException(nameof(InstanceId)); }

    /// <summary>Strictly increasing per instance; 1 to 2^53−1.</summary>
    public required long Serial { get; init; }

    /// <summary>When the Central Server generated the snapshot (UTC, whole seconds).</summary>
    public required DateTimeOffset GeneratedAt { get; init => field = Frozen.Time(value); }

    /// <summary>After this instant the snapshot is outdated and consumers fail closed (UTC, whole seconds).</summary>
    public required DateTimeOffset ExpiresAt { get; init => field = Frozen.Time(value); }

    /// <summary>Members and their subsystems.</summary>
    public IReadOnlyList<MemberInfo> Members { get; init => field = Frozen.List(value, nameof(Members)); } = [];

    /// <summary>Registered security servers.</summary>
    public IReadOnlyList<SecurityServerInfo> SecurityServers { get; init => field = Frozen.List(value, nameof(SecurityServers)); } = [];

    /// <summary>Approved certification authorities.</summary>
    public IReadOnlyList<ApprovedCa> ApprovedCas { get; init => field = Frozen.List(value, nameof(ApprovedCas)); } = [];

    /// <summary>Approved time-stamping authorities.</summary>
    public IReadOnlyList<ApprovedTsa> ApprovedTsas { get; init => field = Frozen.List(value, nameof(ApprovedTsas)); } = [];

    /// <summary>Global groups.</summary>
    public IReadOnlyList<GlobalGroup> GlobalGroups { get; init => field = Frozen.List(value, nameof(GlobalGroups)); } = [];

    /// <summary>Instance-wide settings.</summary>
    public required ConfigurationSettings Settings { get; init => field = value ?? throw new ArgumentNullException(nameof(Settings)); }

    /// <summary>Absolute http(s) URL of the Central Server's management service.</summary>
    public required string ManagementServiceAddress { get; init => field = value ?? throw new ArgumentNullException(nameof(ManagementServiceAddress)); }

    /// <summary>Anchors of federated instances (optional; empty when none).</summary>
    public IReadOnlyList<FederatedInstance> FederatedInstances { get; init => field = Frozen.List(value, nameof(FederatedInstances)); } = [];

    /// <summary>Organisations' risk scores (optional; empty when none).</summary>
    public IReadOnlyList<OrganisationRiskScore> RiskScores { get; init => field = Frozen.List(value, nameof(RiskScores)); } = [];

    private ConfigurationIndex Index => Indexes.GetValue(this, static c => new ConfigurationIndex(c));

    /// <summary>True when <paramref name="now"/> is after <see cref="ExpiresAt"/>: consumers must fail closed.</summary>
    public bool IsExpired(DateTimeOffset now) => now > ExpiresAt;

    /// <summary>The member, or null when it is not registered.</summary>
    public MemberInfo? FindMember(MemberId member)
    {
        ArgumentNullException.ThrowIfNull(member);
        return Index.Members.GetValueOrDefault(member);
    }

    /// <summary>True when the client is a registered member, or a registered subsystem of one.</summary>
    public bool IsRegisteredClient(ClientId client)
    {
        ArgumentNullException.ThrowIfNull(client);
        var member = FindMember(client.Member);
        return member is not null && (!client.IsSubsystem || member.SubsystemCodes.Contains(client.SubsystemCode, StringComparer.Ordinal));
    }

    /// <summary>The security server, or null when it is not registered.</summary>
    public SecurityServerInfo? FindSecurityServer(SecurityServerId server)
    {
        ArgumentNullException.ThrowIfNull(server);
        return Index.Servers.GetValueOrDefault(server);
    }

    /// <summary>The security servers that host <paramref name="client"/> (exact match: a member does not stand for its subsystems).</summary>
    public IReadOnlyList<SecurityServerInfo> FindServersHosting(ClientId client)
    {
        ArgumentNullException.ThrowIfNull(client);
        return Index.ServersByClient.GetValueOrDefault(client) ?? [];
    }

    /// <summary>True when the SHA-256 of an authentication certificate's DER is registered for <paramref name="server"/>.</summary>
    public bool IsAuthenticationCertificateRegistered(SecurityServerId server, ReadOnlySpan<byte> certificateSha256)
    {
        var found = FindServerByAuthenticationCertificate(certificateSha256);
        return found is not null && found.Id == server;
    }

    /// <summary>True when <paramref name="certificate"/> is a registered authentication certificate of <paramref name="server"/>.</summary>
    public bool IsAuthenticationCertificateRegistered(SecurityServerId server, X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return IsAuthenticationCertificateRegistered(server, certificate.GetCertHash(HashAlgorithmName.SHA256));
    }

    /// <summary>The server an authentication certificate (by SHA-256 of its DER) is registered for, or null.</summary>
    public SecurityServerInfo? FindServerByAuthenticationCertificate(ReadOnlySpan<byte> certificateSha256) =>
        certificateSha256.Length == SHA256.HashSizeInBytes
            ? Index.ServersByAuthHash.GetValueOrDefault(Convert.ToHexStringLower(certificateSha256))
            : null;

    /// <summary>
    /// The approved CAs whose certificate subject is <paramref name="issuer"/> (byte-exact DER). More
    /// than one when a CA was re-keyed under the same name.
    /// </summary>
    public IReadOnlyList<ApprovedCa> FindCasByIssuer(X500DistinguishedName issuer)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        return Index.CasBySubject.GetValueOrDefault(Convert.ToHexString(issuer.RawData)) ?? [];
    }

    /// <summary>The approved TSA with this name, or null.</summary>
    public ApprovedTsa? FindTsa(string name) => ApprovedTsas.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.Ordinal));

    /// <summary>The global group, or null.</summary>
    public GlobalGroup? FindGlobalGroup(GlobalGroupId group)
    {
        ArgumentNullException.ThrowIfNull(group);
        return Index.Groups.TryGetValue(group, out var entry) ? entry.Group : null;
    }

    /// <summary>True when <paramref name="client"/> is listed in the group (exact match).</summary>
    public bool IsMemberOfGroup(GlobalGroupId group, ClientId client)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(client);
        return Index.Groups.TryGetValue(group, out var entry) && entry.Members.Contains(client);
    }

    /// <summary>The member's risk score, or null when none is published.</summary>
    public OrganisationRiskScore? FindRiskScore(MemberId member)
    {
        ArgumentNullException.ThrowIfNull(member);
        return RiskScores.FirstOrDefault(r => r.Member == member);
    }

    /// <summary>The federated instance with this id, or null.</summary>
    public FederatedInstance? FindFederatedInstance(string instanceId) =>
        FederatedInstances.FirstOrDefault(f => string.Equals(f.InstanceId, instanceId, StringComparison.Ordinal));

    private sealed class ConfigurationIndex
    {
        public ConfigurationIndex(GlobalConfiguration c)
        {
            // TryAdd: a snapshot from the reader has no duplicates; one built in code may, and then the first wins.
            foreach (var m in c.Members)
            {
                Members.TryAdd(m.Id, m);
            }

            foreach (var s in c.SecurityServers)
            {
                Servers.TryAdd(s.Id, s);
                foreach (var client in s.Clients)
                {
                    if (!ServersByClient.TryGetValue(client, out var list))
                    {
                        ServersByClient[client] = list = [];
                    }

                    list.Add(s);
                }

                foreach (var hash in s.AuthenticationCertificateHashes)
                {
                    ServersByAuthHash.TryAdd(hash, s);
                }
            }

            foreach (var ca in c.ApprovedCas)
            {
                string key;
                try
                {
                    using var cert = ca.LoadCertificate();
                    key = Convert.ToHexString(cert.SubjectName.RawData);
                }
                catch (CryptographicException)
                {
                    continue;
                }

                if (!CasBySubject.TryGetValue(key, out var list))
                {
                    CasBySubject[key] = list = [];
                }

                list.Add(ca);
            }

            foreach (var g in c.GlobalGroups)
            {
                Groups.TryAdd(g.Id, (g, g.Members.ToHashSet()));
            }
        }

        public Dictionary<MemberId, MemberInfo> Members { get; } = [];

        public Dictionary<SecurityServerId, SecurityServerInfo> Servers { get; } = [];

        public Dictionary<ClientId, List<SecurityServerInfo>> ServersByClient { get; } = [];

        public Dictionary<string, SecurityServerInfo> ServersByAuthHash { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, List<ApprovedCa>> CasBySubject { get; } = new(StringComparer.Ordinal);

        public Dictionary<GlobalGroupId, (GlobalGroup Group, HashSet<ClientId> Members)> Groups { get; } = [];
    }
}
