using System.Collections.Immutable;
using ExchangeGateway.CentralServer.Storage;
using ExchangeGateway.Common.Identifiers;
using Microsoft.Data.Sqlite;

namespace ExchangeGateway.CentralServer.Registration;

/// <summary>
/// Reads registry entries inside one transaction (see <see cref="Registry.Read{T}"/>). Lists are sorted by
/// canonical key with SQLite's BINARY collation, which is ordinal for the ASCII identifier alphabet.
/// </summary>
public sealed class RegistryReader
{
    private readonly SqliteConnection _c;
    private readonly SqliteTransaction _tx;

    internal RegistryReader(SqliteConnection connection, SqliteTransaction transaction)
    {
        _c = connection;
        _tx = transaction;
    }

    /// <summary>The current registry version.</summary>
    public long Version => Sql.Scalar<long>(_c, _tx, "SELECT version FROM registry_state WHERE id = 1;");

    /// <summary>The instance id.</summary>
    public string InstanceId => Sql.Scalar<string>(_c, _tx, "SELECT instance_id FROM registry_state WHERE id = 1;");

    /// <summary>All member classes.</summary>
    public ImmutableArray<MemberClass> MemberClasses() => LoadMemberClasses(null);

    /// <summary>One member class, or null.</summary>
    public MemberClass? MemberClass(string code) => One(LoadMemberClasses(code));

    /// <summary>All members, or those of one class.</summary>
    public ImmutableArray<Member> Members(string? memberClass = null) =>
        [.. Sql.Query(
            _c,
            _tx,
            "SELECT id, name FROM member WHERE $class IS NULL OR member_class = $class ORDER BY id;",
            r => new Member(MemberId.Parse(r.GetString(0)), r.GetString(1)),
            ("$class", memberClass))];

    /// <summary>One member, or null.</summary>
    public Member? Member(MemberId id) =>
        One([.. Sql.Query(_c, _tx, "SELECT id, name FROM member WHERE id = $id;", r => new Member(MemberId.Parse(r.GetString(0)), r.GetString(1)), ("$id", id.ToString()))]);

    /// <summary>All subsystems, or those of one member.</summary>
    public ImmutableArray<Subsystem> Subsystems(MemberId? member = null) =>
        [.. Sql.Query(
            _c,
            _tx,
            "SELECT id, name FROM subsystem WHERE $member IS NULL OR member_id = $member ORDER BY id;",
            r => new Subsystem(SubsystemId.Parse(r.GetString(0)), Sql.NullableString(r, 1)),
            ("$member", member?.ToString()))];

    /// <summary>One subsystem, or null.</summary>
    public Subsystem? Subsystem(SubsystemId id) =>
        One([.. Sql.Query(_c, _tx, "SELECT id, name FROM subsystem WHERE id = $id;", r => new Subsystem(SubsystemId.Parse(r.GetString(0)), Sql.NullableString(r, 1)), ("$id", id.ToString()))]);

    /// <summary>All security servers.</summary>
    public ImmutableArray<SecurityServer> SecurityServers() => LoadServers(null);

    /// <summary>One security server, or null.</summary>
    public SecurityServer? SecurityServer(SecurityServerId id) => One(LoadServers(id.ToString()));

    /// <summary>All approved CAs.</summary>
    public ImmutableArray<ApprovedCa> CertificationAuthorities() => LoadCas(null);

    /// <summary>One approved CA by id (certificate SHA-256), or null.</summary>
    public ApprovedCa? CertificationAuthority(string id) => One(LoadCas(id));

    /// <summary>All approved TSAs.</summary>
    public ImmutableArray<ApprovedTsa> TimestampingAuthorities() => LoadTsas(null);

    /// <summary>One approved TSA by id (certificate SHA-256), or null.</summary>
    public ApprovedTsa? TimestampingAuthority(string id) => One(LoadTsas(id));

    /// <summary>All global groups.</summary>
    public ImmutableArray<GlobalGroup> GlobalGroups() => LoadGroups(null);

    /// <summary>One global group, or null.</summary>
    public GlobalGroup? GlobalGroup(GlobalGroupId id) => One(LoadGroups(id.ToString()));

    /// <summary>Everything, as one snapshot.</summary>
    public RegistrySnapshot Snapshot() => new(
        InstanceId,
        Version,
        MemberClasses(),
        Members(),
        Subsystems(),
        SecurityServers(),
        CertificationAuthorities(),
        TimestampingAuthorities(),
        GlobalGroups());

    private static T? One<T>(ImmutableArray<T> items)
        where T : class => items.Length == 0 ? null : items[0];

    private ImmutableArray<MemberClass> LoadMemberClasses(string? code) =>
        [.. Sql.Query(
            _c,
            _tx,
            "SELECT code, description FROM member_class WHERE $code IS NULL OR code = $code ORDER BY code;",
            r => new MemberClass(r.GetString(0), r.GetString(1)),
            ("$code", code))];

    private ImmutableArray<SecurityServer> LoadServers(string? id)
    {
        var hashes = Sql.Query(
                _c,
                _tx,
                "SELECT server_id, hash FROM server_auth_cert WHERE $id IS NULL OR server_id = $id ORDER BY server_id, hash;",
                r => (Server: r.GetString(0), Hash: r.GetString(1)),
                ("$id", id))
            .ToLookup(x => x.Server, x => x.Hash, StringComparer.Ordinal);
        var clients = Sql.Query(
                _c,
                _tx,
                "SELECT server_id, client_id, disabled FROM server_client WHERE $id IS NULL OR server_id = $id ORDER BY server_id, client_id;",
                r => (Server: r.GetString(0), Client: ClientId.Parse(r.GetString(1)), Disabled: r.GetInt64(2) != 0),
                ("$id", id))
            .ToLookup(x => x.Server, StringComparer.Ordinal);
        return [.. Sql.Query(
            _c,
            _tx,
            "SELECT id, address FROM security_server WHERE $id IS NULL OR id = $id ORDER BY id;",
            r =>
            {
                var serverId = r.GetString(0);
                var hosted = clients[serverId];
                return new SecurityServer(SecurityServerId.Parse(serverId), r.GetString(1), [.. hashes[serverId]], [.. hosted.Select(c => c.Client)])
                {
                    DisabledClients = [.. hosted.Where(c => c.Disabled).Select(c => c.Client)],
                };
            },
            ("$id", id))];
    }

    private ImmutableArray<ApprovedCa> LoadCas(string? id) =>
        [.. Sql.Query(
            _c,
            _tx,
            "SELECT id, name, certificate, ocsp_url, ocsp_certificate, member_code_rdn, member_class_rdn, instance_rdn FROM approved_ca WHERE $id IS NULL OR id = $id ORDER BY id;",
            r => new ApprovedCa(
                r.GetString(0),
                r.GetString(1),
                [.. (byte[])r.GetValue(2)],
                r.GetString(3),
                Sql.NullableBlob(r, 4) is { } responder ? [.. responder] : null,
                new CertificateProfile(r.GetString(5), r.GetString(6), r.GetString(7))),
            ("$id", id))];

    private ImmutableArray<ApprovedTsa> LoadTsas(string? id) =>
        [.. Sql.Query(
            _c,
            _tx,
            "SELECT id, name, url, certificate FROM approved_tsa WHERE $id IS NULL OR id = $id ORDER BY id;",
            r => new ApprovedTsa(r.GetString(0), r.GetString(1), r.GetString(2), [.. (byte[])r.GetValue(3)]),
            ("$id", id))];

    private ImmutableArray<GlobalGroup> LoadGroups(string? id)
    {
        var members = Sql.Query(
                _c,
                _tx,
                "SELECT group_id, client_id FROM global_group_member WHERE $id IS NULL OR group_id = $id ORDER BY group_id, client_id;",
                r => (Group: r.GetString(0), Client: r.GetString(1)),
                ("$id", id))
            .ToLookup(x => x.Group, x => ClientId.Parse(x.Client), StringComparer.Ordinal);
        return [.. Sql.Query(
            _c,
            _tx,
            "SELECT id, description FROM global_group WHERE $id IS NULL OR id = $id ORDER BY id;",
            r =>
            {
                var groupId = r.GetString(0);
                return new GlobalGroup(GlobalGroupId.Parse(groupId), r.GetString(1), [.. members[groupId]]);
            },
            ("$id", id))];
    }
}
