using ExchangeGateway.CentralServer.Errors;
using ExchangeGateway.CentralServer.Storage;
using ExchangeGateway.Common.Identifiers;
using Microsoft.Data.Sqlite;

namespace ExchangeGateway.CentralServer.Registration;

/// <summary>
/// The registry's write operations, run inside one transaction opened by
/// <see cref="Registry.Change{T}"/>. Each checks its rules and references and returns a
/// <see cref="Failure"/> instead of touching anything when one is broken; several operations in one
/// <c>Change</c> (a management request's approval, later) commit or roll back together.
/// </summary>
public sealed class RegistryEditor
{
    private readonly SqliteConnection _c;
    private readonly SqliteTransaction _tx;
    private readonly string _instance;

    internal RegistryEditor(SqliteConnection connection, SqliteTransaction transaction, string instance)
    {
        _c = connection;
        _tx = transaction;
        _instance = instance;
        Reader = new RegistryReader(connection, transaction);
    }

    /// <summary>Reads inside the same transaction, seeing this change's own writes.</summary>
    public RegistryReader Reader { get; }

    /// <summary>The connection, for features that keep their own tables in the same database and transaction.</summary>
    internal SqliteConnection Connection => _c;

    /// <summary>The open transaction.</summary>
    internal SqliteTransaction Transaction => _tx;

    // Member classes.

    /// <summary>Adds a member class.</summary>
    public Result<MemberClass> AddMemberClass(string code, string description)
    {
        if ((RegistryRules.IdentifierPart(code, "memberClass") ?? RegistryRules.Text(description, "description")) is { } invalid)
        {
            return invalid;
        }

        if (Exists("SELECT 1 FROM member_class WHERE code = $id;", code))
        {
            return Failure.Conflict($"Member class {code} already exists.");
        }

        Execute("INSERT INTO member_class (code, description) VALUES ($id, $d);", ("$id", code), ("$d", description));
        return new MemberClass(code, description);
    }

    /// <summary>Changes a member class's description.</summary>
    public Result<MemberClass> UpdateMemberClass(string code, string description)
    {
        if (RegistryRules.Text(description, "description") is { } invalid)
        {
            return invalid;
        }

        return Execute("UPDATE member_class SET description = $d WHERE code = $id;", ("$id", code), ("$d", description)) == 1
            ? new MemberClass(code, description)
            : Failure.NotFound($"Member class {code} is not registered.");
    }

    /// <summary>Deletes a member class that no member uses.</summary>
    public Result<bool> DeleteMemberClass(string code)
    {
        if (!Exists("SELECT 1 FROM member_class WHERE code = $id;", code))
        {
            return Failure.NotFound($"Member class {code} is not registered.");
        }

        if (Exists("SELECT 1 FROM member WHERE member_class = $id LIMIT 1;", code))
        {
            return Failure.InUse($"Member class {code} still has members.");
        }

        Execute("DELETE FROM member_class WHERE code = $id;", ("$id", code));
        return true;
    }

    // Members.

    /// <summary>Registers a member; its class must exist.</summary>
    public Result<Member> AddMember(MemberId id, string name)
    {
        ArgumentNullException.ThrowIfNull(id);
        if ((CheckInstance(id.Instance, id) ?? RegistryRules.Text(name, "name")) is { } invalid)
        {
            return invalid;
        }

        if (!Exists("SELECT 1 FROM member_class WHERE code = $id;", id.MemberClass))
        {
            return Failure.InvalidReference($"Member class {id.MemberClass} is not registered.");
        }

        if (Exists("SELECT 1 FROM member WHERE id = $id;", id.ToString()))
        {
            return Failure.Conflict($"Member {id} is already registered.");
        }

        Execute(
            "INSERT INTO member (id, member_class, member_code, name) VALUES ($id, $class, $code, $name);",
            ("$id", id.ToString()),
            ("$class", id.MemberClass),
            ("$code", id.MemberCode),
            ("$name", name));
        return new Member(id, name);
    }

    /// <summary>Changes a member's name.</summary>
    public Result<Member> UpdateMember(MemberId id, string name)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (RegistryRules.Text(name, "name") is { } invalid)
        {
            return invalid;
        }

        return Execute("UPDATE member SET name = $name WHERE id = $id;", ("$id", id.ToString()), ("$name", name)) == 1
            ? new Member(id, name)
            : Failure.NotFound($"Member {id} is not registered.");
    }

    /// <summary>Deletes a member that has no subsystems, owns no security server, and is neither hosted nor in a group.</summary>
    public Result<bool> DeleteMember(MemberId id)
    {
        ArgumentNullException.ThrowIfNull(id);
        var key = id.ToString();
        if (!Exists("SELECT 1 FROM member WHERE id = $id;", key))
        {
            return Failure.NotFound($"Member {id} is not registered.");
        }

        if (Exists("SELECT 1 FROM subsystem WHERE member_id = $id LIMIT 1;", key))
        {
            return Failure.InUse($"Member {id} still has subsystems; delete them first.");
        }

        if (Exists("SELECT 1 FROM security_server WHERE owner_id = $id LIMIT 1;", key))
        {
            return Failure.InUse($"Member {id} still owns security servers; delete them first.");
        }

        if (ClientInUse(key) is { } inUse)
        {
            return inUse;
        }

        Execute("DELETE FROM member WHERE id = $id;", ("$id", key));
        return true;
    }

    // Subsystems.

    /// <summary>Registers a subsystem; its member must exist.</summary>
    public Result<Subsystem> AddSubsystem(SubsystemId id, string? name)
    {
        ArgumentNullException.ThrowIfNull(id);
        if ((CheckInstance(id.Member.Instance, id) ?? RegistryRules.Text(name, "name", required: false)) is { } invalid)
        {
            return invalid;
        }

        if (!Exists("SELECT 1 FROM member WHERE id = $id;", id.Member.ToString()))
        {
            return Failure.InvalidReference($"Member {id.Member} is not registered.");
        }

        if (Exists("SELECT 1 FROM subsystem WHERE id = $id;", id.ToString()))
        {
            return Failure.Conflict($"Subsystem {id} is already registered.");
        }

        Execute(
            "INSERT INTO subsystem (id, member_id, subsystem_code, name) VALUES ($id, $member, $code, $name);",
            ("$id", id.ToString()),
            ("$member", id.Member.ToString()),
            ("$code", id.SubsystemCode),
            ("$name", string.IsNullOrEmpty(name) ? null : name));
        return new Subsystem(id, string.IsNullOrEmpty(name) ? null : name);
    }

    /// <summary>Changes a subsystem's display name (null or empty removes it).</summary>
    public Result<Subsystem> UpdateSubsystem(SubsystemId id, string? name)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (RegistryRules.Text(name, "name", required: false) is { } invalid)
        {
            return invalid;
        }

        var stored = string.IsNullOrEmpty(name) ? null : name;
        return Execute("UPDATE subsystem SET name = $name WHERE id = $id;", ("$id", id.ToString()), ("$name", stored)) == 1
            ? new Subsystem(id, stored)
            : Failure.NotFound($"Subsystem {id} is not registered.");
    }

    /// <summary>Deletes a subsystem that no server hosts and no group contains.</summary>
    public Result<bool> DeleteSubsystem(SubsystemId id)
    {
        ArgumentNullException.ThrowIfNull(id);
        var key = id.ToString();
        if (!Exists("SELECT 1 FROM subsystem WHERE id = $id;", key))
        {
            return Failure.NotFound($"Subsystem {id} is not registered.");
        }

        if (ClientInUse(key) is { } inUse)
        {
            return inUse;
        }

        Execute("DELETE FROM subsystem WHERE id = $id;", ("$id", key));
        return true;
    }

    // Security servers.

    /// <summary>Registers a security server; its owner must be a registered member.</summary>
    public Result<SecurityServer> AddSecurityServer(SecurityServerId id, string address)
    {
        ArgumentNullException.ThrowIfNull(id);
        if ((CheckInstance(id.Owner.Instance, id) ?? RegistryRules.Address(address)) is { } invalid)
        {
            return invalid;
        }

        if (!Exists("SELECT 1 FROM member WHERE id = $id;", id.Owner.ToString()))
        {
            return Failure.InvalidReference($"Owner member {id.Owner} is not registered.");
        }

        if (Exists("SELECT 1 FROM security_server WHERE id = $id;", id.ToString()))
        {
            return Failure.Conflict($"Security server {id} is already registered.");
        }

        Execute(
            "INSERT INTO security_server (id, owner_id, server_code, address) VALUES ($id, $owner, $code, $address);",
            ("$id", id.ToString()),
            ("$owner", id.Owner.ToString()),
            ("$code", id.ServerCode),
            ("$address", address));
        return new SecurityServer(id, address, [], []);
    }

    /// <summary>Changes a security server's address.</summary>
    public Result<SecurityServer> UpdateSecurityServer(SecurityServerId id, string address)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (RegistryRules.Address(address) is { } invalid)
        {
            return invalid;
        }

        return Execute("UPDATE security_server SET address = $address WHERE id = $id;", ("$id", id.ToString()), ("$address", address)) == 1
            ? Reader.SecurityServer(id)!
            : Failure.NotFound($"Security server {id} is not registered.");
    }

    /// <summary>Deletes a security server with its certificate hashes and client list.</summary>
    public Result<bool> DeleteSecurityServer(SecurityServerId id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return Execute("DELETE FROM security_server WHERE id = $id;", ("$id", id.ToString())) == 1
            ? true
            : Failure.NotFound($"Security server {id} is not registered.");
    }

    /// <summary>Registers an authentication certificate hash for a server; one certificate belongs to one server only.</summary>
    public Result<SecurityServer> AddAuthenticationCertificate(SecurityServerId id, string sha256Hex)
    {
        ArgumentNullException.ThrowIfNull(id);
        var hash = RegistryRules.Sha256Hex(sha256Hex, "hash");
        if (!hash.Success)
        {
            return hash.Failure;
        }

        if (!Exists("SELECT 1 FROM security_server WHERE id = $id;", id.ToString()))
        {
            return Failure.NotFound($"Security server {id} is not registered.");
        }

        if (Exists("SELECT 1 FROM server_auth_cert WHERE hash = $id;", hash.Value!))
        {
            return Failure.Conflict("This authentication certificate is already registered for a security server.");
        }

        Execute("INSERT INTO server_auth_cert (hash, server_id) VALUES ($hash, $id);", ("$hash", hash.Value), ("$id", id.ToString()));
        return Reader.SecurityServer(id)!;
    }

    /// <summary>Removes an authentication certificate hash from a server.</summary>
    public Result<SecurityServer> RemoveAuthenticationCertificate(SecurityServerId id, string sha256Hex)
    {
        ArgumentNullException.ThrowIfNull(id);
        var hash = RegistryRules.Sha256Hex(sha256Hex, "hash");
        if (!hash.Success)
        {
            return hash.Failure;
        }

        return Execute("DELETE FROM server_auth_cert WHERE hash = $hash AND server_id = $id;", ("$hash", hash.Value), ("$id", id.ToString())) == 1
            ? Reader.SecurityServer(id)!
            : Failure.NotFound($"Security server {id} has no such authentication certificate.");
    }

    /// <summary>Records that a server hosts a client; the client (member or subsystem) must be registered.</summary>
    public Result<SecurityServer> AddClient(SecurityServerId id, ClientId client)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(client);
        if (!Exists("SELECT 1 FROM security_server WHERE id = $id;", id.ToString()))
        {
            return Failure.NotFound($"Security server {id} is not registered.");
        }

        if (ClientRegistered(client) is { } missing)
        {
            return missing;
        }

        if (Exists("SELECT 1 FROM server_client WHERE server_id = $id AND client_id = $client;", id.ToString(), client.ToString()))
        {
            return Failure.Conflict($"Security server {id} already hosts {client}.");
        }

        Execute("INSERT INTO server_client (server_id, client_id) VALUES ($id, $client);", ("$id", id.ToString()), ("$client", client.ToString()));
        return Reader.SecurityServer(id)!;
    }

    /// <summary>Removes a hosted client from a server.</summary>
    public Result<SecurityServer> RemoveClient(SecurityServerId id, ClientId client)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(client);
        return Execute("DELETE FROM server_client WHERE server_id = $id AND client_id = $client;", ("$id", id.ToString()), ("$client", client.ToString())) == 1
            ? Reader.SecurityServer(id)!
            : Failure.NotFound($"Security server {id} does not host {client}.");
    }

    /// <summary>
    /// Marks a hosted client disabled (<paramref name="disabled"/> true) or enabled again. The server must host it;
    /// asking for the state it already has is a conflict, so a repeated request is visible rather than silent.
    /// </summary>
    public Result<SecurityServer> SetClientDisabled(SecurityServerId id, ClientId client, bool disabled)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(client);
        var row = Sql.Query(
            _c,
            _tx,
            "SELECT disabled FROM server_client WHERE server_id = $id AND client_id = $client;",
            r => r.GetInt64(0) != 0,
            ("$id", id.ToString()),
            ("$client", client.ToString()));
        if (row.Count == 0)
        {
            return Failure.NotFound($"Security server {id} does not host {client}.");
        }

        if (row[0] == disabled)
        {
            return Failure.Conflict($"{client} is already {(disabled ? "disabled" : "enabled")} on {id}.");
        }

        Execute(
            "UPDATE server_client SET disabled = $disabled WHERE server_id = $id AND client_id = $client;",
            ("$disabled", disabled ? 1 : 0),
            ("$id", id.ToString()),
            ("$client", client.ToString()));
        return Reader.SecurityServer(id)!;
    }

    /// <summary>
    /// Makes <paramref name="newOwner"/> the owner of server <paramref name="id"/>. A server's id names its owner, so
    /// the server becomes <c>newOwner/serverCode</c>, keeping its address, authentication certificates and
    /// clients (disabled marks included). The new owner must be a registered member that the server already
    /// hosts, itself or through one of its subsystems: the current owner has vouched for it by registering it.
    /// </summary>
    public Result<SecurityServer> ChangeOwner(SecurityServerId id, MemberId newOwner)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(newOwner);
        var key = id.ToString();
        var address = Sql.Query(_c, _tx, "SELECT address FROM security_server WHERE id = $id;", r => r.GetString(0), ("$id", key));
        if (address.Count == 0)
        {
            return Failure.NotFound($"Security server {id} is not registered.");
        }

        if (newOwner == id.Owner)
        {
            return Failure.Conflict($"{newOwner} already owns {id}.");
        }

        if (CheckInstance(newOwner.Instance, newOwner) is { } foreign)
        {
            return foreign;
        }

        var owner = newOwner.ToString();
        if (!Exists("SELECT 1 FROM member WHERE id = $id;", owner))
        {
            return Failure.InvalidReference($"Member {newOwner} is not registered.");
        }

        // Subsystem ids are the member id plus one more part, so a prefix match finds them without a join.
        if (!Exists(
            "SELECT 1 FROM server_client WHERE server_id = $id AND (client_id = $owner OR substr(client_id, 1, length($owner) + 1) = $owner || '/') LIMIT 1;",
            ("$id", key),
            ("$owner", owner)))
        {
            return Failure.InvalidReference($"{newOwner} is not a client of {id}; register it (or one of its subsystems) there first.");
        }

        var next = new SecurityServerId(newOwner, id.ServerCode);
        if (Exists("SELECT 1 FROM security_server WHERE id = $id;", next.ToString()))
        {
            return Failure.Conflict($"Security server {next} is already registered.");
        }

        Execute(
            "INSERT INTO security_server (id, owner_id, server_code, address) VALUES ($id, $owner, $code, $address);",
            ("$id", next.ToString()),
            ("$owner", owner),
            ("$code", next.ServerCode),
            ("$address", address[0]));
        Execute("UPDATE server_auth_cert SET server_id = $next WHERE server_id = $id;", ("$next", next.ToString()), ("$id", key));
        Execute("UPDATE server_client SET server_id = $next WHERE server_id = $id;", ("$next", next.ToString()), ("$id", key));
        Execute("DELETE FROM security_server WHERE id = $id;", ("$id", key));
        return Reader.SecurityServer(next)!;
    }

    // Approved CAs.

    /// <summary>Approves a CA; its id is the SHA-256 of its certificate.</summary>
    public Result<ApprovedCa> AddCertificationAuthority(string name, byte[] certificate, string ocspUrl, byte[]? ocspResponderCertificate, CertificateProfile? profile)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        profile ??= CertificateProfile.Default;
        if ((CheckCa(name, ocspUrl, ocspResponderCertificate, profile) ?? RegistryRules.Certificate(certificate, "certificate", requireCa: true)) is { } invalid)
        {
            return invalid;
        }

        var id = RegistryRules.Fingerprint(certificate);
        if (Exists("SELECT 1 FROM approved_ca WHERE id = $id;", id))
        {
            return Failure.Conflict("This CA certificate is already approved.");
        }

        if (Exists("SELECT 1 FROM approved_ca WHERE name = $id;", name))
        {
            return Failure.Conflict("Another approved CA already has this name.");
        }

        Execute(
            """
            INSERT INTO approved_ca (id, name, certificate, ocsp_url, ocsp_certificate, member_code_rdn, member_class_rdn, instance_rdn)
            VALUES ($id, $name, $cert, $ocsp, $ocspCert, $code, $class, $instance);
            """,
            ("$id", id),
            ("$name", name),
            ("$cert", certificate),
            ("$ocsp", ocspUrl),
            ("$ocspCert", ocspResponderCertificate),
            ("$code", profile.MemberCodeRdn),
            ("$class", profile.MemberClassRdn),
            ("$instance", profile.InstanceRdn));
        return Reader.CertificationAuthority(id)!;
    }

    /// <summary>Changes an approved CA's name, OCSP responder and profile; the certificate (its identity) stays.</summary>
    public Result<ApprovedCa> UpdateCertificationAuthority(string id, string name, string ocspUrl, byte[]? ocspResponderCertificate, CertificateProfile? profile)
    {
        profile ??= CertificateProfile.Default;
        if (CheckCa(name, ocspUrl, ocspResponderCertificate, profile) is { } invalid)
        {
            return invalid;
        }

        if (!Exists("SELECT 1 FROM approved_ca WHERE id = $id;", id))
        {
            return Failure.NotFound("No approved CA has this id.");
        }

        if (Exists("SELECT 1 FROM approved_ca WHERE name = $name AND id <> $id;", ("$name", name), ("$id", id)))
        {
            return Failure.Conflict("Another approved CA already has this name.");
        }

        Execute(
            """
            UPDATE approved_ca SET name = $name, ocsp_url = $ocsp, ocsp_certificate = $ocspCert,
                member_code_rdn = $code, member_class_rdn = $class, instance_rdn = $instance
            WHERE id = $id;
            """,
            ("$id", id),
            ("$name", name),
            ("$ocsp", ocspUrl),
            ("$ocspCert", ocspResponderCertificate),
            ("$code", profile.MemberCodeRdn),
            ("$class", profile.MemberClassRdn),
            ("$instance", profile.InstanceRdn));
        return Reader.CertificationAuthority(id)!;
    }

    /// <summary>Withdraws a CA's approval.</summary>
    public Result<bool> DeleteCertificationAuthority(string id) =>
        Execute("DELETE FROM approved_ca WHERE id = $id;", ("$id", id)) == 1 ? true : Failure.NotFound("No approved CA has this id.");

    // Approved TSAs.

    /// <summary>Approves a TSA; its id is the SHA-256 of its certificate.</summary>
    public Result<ApprovedTsa> AddTimestampingAuthority(string name, string url, byte[] certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        if ((RegistryRules.Text(name, "name") ?? RegistryRules.Url(url, "url") ?? RegistryRules.Certificate(certificate, "certificate", requireCa: false)) is { } invalid)
        {
            return invalid;
        }

        var id = RegistryRules.Fingerprint(certificate);
        if (Exists("SELECT 1 FROM approved_tsa WHERE id = $id;", id))
        {
            return Failure.Conflict("This TSA certificate is already approved.");
        }

        if (Exists("SELECT 1 FROM approved_tsa WHERE name = $id;", name))
        {
            return Failure.Conflict("Another approved TSA already has this name.");
        }

        Execute("INSERT INTO approved_tsa (id, name, url, certificate) VALUES ($id, $name, $url, $cert);", ("$id", id), ("$name", name), ("$url", url), ("$cert", certificate));
        return Reader.TimestampingAuthority(id)!;
    }

    /// <summary>Changes an approved TSA's name and URL.</summary>
    public Result<ApprovedTsa> UpdateTimestampingAuthority(string id, string name, string url)
    {
        if ((RegistryRules.Text(name, "name") ?? RegistryRules.Url(url, "url")) is { } invalid)
        {
            return invalid;
        }

        if (!Exists("SELECT 1 FROM approved_tsa WHERE id = $id;", id))
        {
            return Failure.NotFound("No approved TSA has this id.");
        }

        if (Exists("SELECT 1 FROM approved_tsa WHERE name = $name AND id <> $id;", ("$name", name), ("$id", id)))
        {
            return Failure.Conflict("Another approved TSA already has this name.");
        }

        Execute("UPDATE approved_tsa SET name = $name, url = $url WHERE id = $id;", ("$id", id), ("$name", name), ("$url", url));
        return Reader.TimestampingAuthority(id)!;
    }

    /// <summary>Withdraws a TSA's approval.</summary>
    public Result<bool> DeleteTimestampingAuthority(string id) =>
        Execute("DELETE FROM approved_tsa WHERE id = $id;", ("$id", id)) == 1 ? true : Failure.NotFound("No approved TSA has this id.");

    // Global groups.

    /// <summary>Creates a global group.</summary>
    public Result<GlobalGroup> AddGlobalGroup(GlobalGroupId id, string description)
    {
        ArgumentNullException.ThrowIfNull(id);
        if ((CheckInstance(id.Instance, id) ?? RegistryRules.Text(description, "description")) is { } invalid)
        {
            return invalid;
        }

        if (Exists("SELECT 1 FROM global_group WHERE id = $id;", id.ToString()))
        {
            return Failure.Conflict($"Global group {id} already exists.");
        }

        Execute("INSERT INTO global_group (id, group_code, description) VALUES ($id, $code, $d);", ("$id", id.ToString()), ("$code", id.GroupCode), ("$d", description));
        return new GlobalGroup(id, description, []);
    }

    /// <summary>Changes a global group's description.</summary>
    public Result<GlobalGroup> UpdateGlobalGroup(GlobalGroupId id, string description)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (RegistryRules.Text(description, "description") is { } invalid)
        {
            return invalid;
        }

        return Execute("UPDATE global_group SET description = $d WHERE id = $id;", ("$id", id.ToString()), ("$d", description)) == 1
            ? Reader.GlobalGroup(id)!
            : Failure.NotFound($"Global group {id} does not exist.");
    }

    /// <summary>Deletes a global group and its membership list.</summary>
    public Result<bool> DeleteGlobalGroup(GlobalGroupId id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return Execute("DELETE FROM global_group WHERE id = $id;", ("$id", id.ToString())) == 1
            ? true
            : Failure.NotFound($"Global group {id} does not exist.");
    }

    /// <summary>Adds a registered member or subsystem to a group.</summary>
    public Result<GlobalGroup> AddGroupMember(GlobalGroupId id, ClientId client)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(client);
        if (!Exists("SELECT 1 FROM global_group WHERE id = $id;", id.ToString()))
        {
            return Failure.NotFound($"Global group {id} does not exist.");
        }

        if (ClientRegistered(client) is { } missing)
        {
            return missing;
        }

        if (Exists("SELECT 1 FROM global_group_member WHERE group_id = $id AND client_id = $client;", id.ToString(), client.ToString()))
        {
            return Failure.Conflict($"{client} is already a member of {id}.");
        }

        Execute("INSERT INTO global_group_member (group_id, client_id) VALUES ($id, $client);", ("$id", id.ToString()), ("$client", client.ToString()));
        return Reader.GlobalGroup(id)!;
    }

    /// <summary>Removes a member from a group.</summary>
    public Result<GlobalGroup> RemoveGroupMember(GlobalGroupId id, ClientId client)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(client);
        return Execute("DELETE FROM global_group_member WHERE group_id = $id AND client_id = $client;", ("$id", id.ToString()), ("$client", client.ToString())) == 1
            ? Reader.GlobalGroup(id)!
            : Failure.NotFound($"{client} is not a member of {id}.");
    }

    private Failure? CheckInstance(string instance, object id) =>
        string.Equals(instance, _instance, StringComparison.Ordinal)
            ? null
            : Failure.InvalidReference($"{id} belongs to instance {instance}; this Central Server runs instance {_instance}.");

    private static Failure? CheckCa(string name, string ocspUrl, byte[]? ocspResponderCertificate, CertificateProfile profile) =>
        RegistryRules.Text(name, "name")
        ?? RegistryRules.Url(ocspUrl, "ocspUrl")
        ?? (ocspResponderCertificate is null ? null : RegistryRules.Certificate(ocspResponderCertificate, "ocspResponderCertificate", requireCa: false))
        ?? RegistryRules.Rdn(profile.MemberCodeRdn, "profile.memberCodeRdn")
        ?? RegistryRules.Rdn(profile.MemberClassRdn, "profile.memberClassRdn")
        ?? RegistryRules.Rdn(profile.InstanceRdn, "profile.instanceRdn");

    private Failure? ClientRegistered(ClientId client)
    {
        if (CheckInstance(client.Member.Instance, client) is { } foreign)
        {
            return foreign;
        }

        return client.IsSubsystem
            ? Exists("SELECT 1 FROM subsystem WHERE id = $id;", client.ToString()) ? null : Failure.InvalidReference($"Subsystem {client} is not registered.")
            : Exists("SELECT 1 FROM member WHERE id = $id;", client.ToString()) ? null : Failure.InvalidReference($"Member {client} is not registered.");
    }

    private Failure? ClientInUse(string clientId)
    {
        if (Exists("SELECT 1 FROM server_client WHERE client_id = $id LIMIT 1;", clientId))
        {
            return Failure.InUse($"{clientId} is still hosted by a security server; remove it there first.");
        }

        return Exists("SELECT 1 FROM global_group_member WHERE client_id = $id LIMIT 1;", clientId)
            ? Failure.InUse($"{clientId} is still a member of a global group; remove it there first.")
            : null;
    }

    private bool Exists(string sql, string id) => Sql.Exists(_c, _tx, sql, ("$id", id));

    private bool Exists(string sql, string id, string client) => Sql.Exists(_c, _tx, sql, ("$id", id), ("$client", client));

    private bool Exists(string sql, params (string Name, object? Value)[] parameters) => Sql.Exists(_c, _tx, sql, parameters);

    private int Execute(string sql, params (string Name, object? Value)[] parameters) => Sql.Execute(_c, _tx, sql, parameters);
}
