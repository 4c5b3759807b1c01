namespace ExchangeGateway.CentralServer.Storage;

/// <summary>
/// The database schema, one constant per version. Identifiers are stored in their canonical text form;
/// hosted clients and group members reference a member or a subsystem, which SQL cannot express as one
/// foreign key, so <see cref="Registration.RegistryEditor"/> checks those references in code.
/// </summary>
internal static class Schema
{
    internal const string V1 = """
        CREATE TABLE registry_state (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            instance_id TEXT NOT NULL,
            version INTEGER NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE TABLE member_class (
            code TEXT PRIMARY KEY NOT NULL,
            description TEXT NOT NULL
        );
        CREATE TABLE member (
            id TEXT PRIMARY KEY NOT NULL,
            member_class TEXT NOT NULL REFERENCES member_class(code),
            member_code TEXT NOT NULL,
            name TEXT NOT NULL
        );
        CREATE TABLE subsystem (
            id TEXT PRIMARY KEY NOT NULL,
            member_id TEXT NOT NULL REFERENCES member(id),
            subsystem_code TEXT NOT NULL,
            name TEXT NULL
        );
        CREATE INDEX subsystem_member ON subsystem(member_id);
        CREATE TABLE security_server (
            id TEXT PRIMARY KEY NOT NULL,
            owner_id TEXT NOT NULL REFERENCES member(id),
            server_code TEXT NOT NULL,
            address TEXT NOT NULL
        );
        CREATE INDEX security_server_owner ON security_server(owner_id);
        CREATE TABLE server_auth_cert (
            hash TEXT PRIMARY KEY NOT NULL,
            server_id TEXT NOT NULL REFERENCES security_server(id) ON DELETE CASCADE
        );
        CREATE TABLE server_client (
            server_id TEXT NOT NULL REFERENCES security_server(id) ON DELETE CASCADE,
            client_id TEXT NOT NULL,
            PRIMARY KEY (server_id, client_id)
        );
        CREATE INDEX server_client_client ON server_client(client_id);
        CREATE TABLE approved_ca (
            id TEXT PRIMARY KEY NOT NULL,
            name TEXT NOT NULL UNIQUE,
            certificate BLOB NOT NULL,
            ocsp_url TEXT NOT NULL,
            ocsp_certificate BLOB NULL,
            member_code_rdn TEXT NOT NULL,
            member_class_rdn TEXT NOT NULL,
            instance_rdn TEXT NOT NULL
        );
        CREATE TABLE approved_tsa (
            id TEXT PRIMARY KEY NOT NULL,
            name TEXT NOT NULL UNIQUE,
            url TEXT NOT NULL,
            certificate BLOB NOT NULL
        );
        CREATE TABLE global_group (
            id TEXT PRIMARY KEY NOT NULL,
            group_code TEXT NOT NULL,
            description TEXT NOT NULL
        );
        CREATE TABLE global_group_member (
            group_id TEXT NOT NULL REFERENCES global_group(id) ON DELETE CASCADE,
            client_id TEXT NOT NULL,
            PRIMARY KEY (group_id, client_id)
        );
        CREATE INDEX global_group_member_client ON global_group_member(client_id);
        CREATE TABLE api_key (
            id TEXT PRIMARY KEY NOT NULL,
            name TEXT NOT NULL,
            roles TEXT NOT NULL,
            secret_hash BLOB NOT NULL,
            created_at TEXT NOT NULL,
            created_by TEXT NOT NULL,
            revoked_at TEXT NULL,
            revoked_by TEXT NULL
        );
        CREATE TABLE audit_log (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            at TEXT NOT NULL,
            actor_key_id TEXT NULL,
            actor_name TEXT NOT NULL,
            action TEXT NOT NULL,
            target TEXT NOT NULL,
            outcome TEXT NOT NULL,
            detail TEXT NULL,
            registry_version INTEGER NULL
        );
        """;

    /// <summary>
    /// Version 2: signed management requests from security servers, kept with their exact signed bytes and
    /// signatures as evidence. The id is the sender's request id (a UUID), so a replay is a key conflict.
    /// </summary>
    internal const string V2 = """
        CREATE TABLE management_request (
            id TEXT PRIMARY KEY NOT NULL,
            type TEXT NOT NULL,
            state TEXT NOT NULL,
            server_id TEXT NOT NULL,
            client_id TEXT NULL,
            address TEXT NULL,
            auth_cert BLOB NULL,
            auth_cert_hash TEXT NULL,
            owner_signer TEXT NOT NULL,
            created_at TEXT NOT NULL,
            received_at TEXT NOT NULL,
            decided_at TEXT NULL,
            decided_by TEXT NULL,
            request BLOB NOT NULL,
            owner_signature BLOB NOT NULL,
            auth_signature BLOB NULL
        );
        CREATE INDEX management_request_state ON management_request(state, received_at);
        """;

    /// <summary>
    /// Version 3: a hosted client can be disabled (<c>client-disable</c> / <c>client-enable</c> requests), and an
    /// <c>owner-change</c> request records the new owner. Existing rows keep their meaning (enabled, no new owner).
    /// </summary>
    internal const string V3 = """
        ALTER TABLE server_client ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1));
        ALTER TABLE management_request ADD COLUMN new_owner TEXT NULL;
        """;

    /// <summary>
    /// Version 4 (issue #7): witnessing. <c>witness_statement</c> holds, per security server, the newest
    /// checkpoint the Central Server accepted (with the server's signature and time-stamp, the evidence it
    /// was shown) and the statement it signed over it; <c>witness_refusal</c> every refused submission with
    /// its code and what was submitted, so that a refused rewrite keeps its evidence.
    /// </summary>
    internal const string V4 = """
        CREATE TABLE witness_statement (
            server_id TEXT PRIMARY KEY NOT NULL,
            tree_size INTEGER NOT NULL,
            root_hash TEXT NOT NULL,
            checkpoint_created_at TEXT NOT NULL,
            witnessed_at TEXT NOT NULL,
            checkpoint BLOB NOT NULL,
            checkpoint_signature BLOB NOT NULL,
            time_stamp_token BLOB NOT NULL,
            statement BLOB NOT NULL,
            signature BLOB NOT NULL
        );
        CREATE TABLE witness_refusal (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            at TEXT NOT NULL,
            server_id TEXT NOT NULL,
            code TEXT NOT NULL,
            message TEXT NOT NULL,
            tree_size INTEGER NULL,
            from_size INTEGER NULL,
            checkpoint BLOB NULL,
            checkpoint_signature BLOB NULL,
            time_stamp_token BLOB NULL,
            consistency TEXT NULL
        );
        CREATE INDEX witness_refusal_server ON witness_refusal(server_id, seq);
        """;
}
