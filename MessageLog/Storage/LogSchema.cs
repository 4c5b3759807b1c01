namespace ExchangeGateway.MessageLog.Storage;

/// <summary>
/// The message-log schema (<c>PRAGMA user_version</c>). Small fixed columns come first in <c>record</c>
/// so that reading leaf hashes and metadata never touches the overflow pages of heads, signatures and
/// bodies. Times are Unix microseconds (UTC); MessageLog/README.md describes every column.
/// </summary>
internal static class LogSchema
{
    /// <summary>The schema this code reads and writes.</summary>
    public const int Version = 2;

    /// <summary>Written into <c>log_info.format</c>: tells a database of ours from any other SQLite file.</summary>
    public const string Format = "xgw-message-log";

    public const string V1 = """
        CREATE TABLE log_info (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            format TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            probed_at INTEGER NOT NULL
        );
        CREATE TABLE record (
            seq INTEGER PRIMARY KEY,
            leaf_hash BLOB NOT NULL,
            logged_at INTEGER NOT NULL,
            side INTEGER NOT NULL,
            kind INTEGER NOT NULL,
            at INTEGER NOT NULL,
            request_id BLOB NOT NULL,
            message_id TEXT NOT NULL,
            client_id TEXT NOT NULL,
            service_id TEXT NOT NULL,
            user_id TEXT NULL,
            http_status INTEGER NULL,
            error_code TEXT NULL,
            body_length INTEGER NOT NULL,
            body_digest BLOB NOT NULL,
            head BLOB NOT NULL,
            signature BLOB NOT NULL,
            ocsp BLOB NOT NULL,
            body BLOB NULL
        );
        CREATE INDEX record_request_at ON record (side, at) WHERE kind = 1;
        CREATE TABLE checkpoint (
            tree_size INTEGER PRIMARY KEY,
            root_hash BLOB NOT NULL,
            created_at INTEGER NOT NULL,
            content BLOB NOT NULL,
            signature BLOB NOT NULL,
            frontier BLOB NOT NULL,
            token BLOB NULL,
            stamped_at INTEGER NULL,
            tsa_url TEXT NULL
        );
        """;

    /// <summary>
    /// Version 2 (issue #7): where a record's content went (archives, retention), the auditor's lookups,
    /// the archive chain and the Central Server's witness statements. Applied after <see cref="V1"/> to a
    /// new file and on its own to a version-1 file; a version-1 log gains the columns with their defaults.
    /// </summary>
    /// <remarks>
    /// <c>record.body_state</c>: 0 = as written (the body is in <c>body</c>, or NULL because body logging
    /// was off), 1 = erased by body retention (<c>body</c> NULL; the digest and the leaf stay),
    /// 2 = archived (the record's content is in archive <c>archive_id</c>; the row keeps its sequence,
    /// leaf hash and metadata, <c>head</c>, <c>signature</c> and <c>ocsp</c> become empty and <c>body</c> NULL).
    /// <c>record_body_at</c> holds only rows that still have a body, so body retention finds the next bodies
    /// to erase without rescanning the rows it already erased. <c>archive</c>: one row per archive file
    /// (MessageLog/README.md "Archives"): its record range, the SHA-256 of the whole file and of its
    /// manifest, and the previous archive's manifest SHA-256 (the chain; NULL for the first).
    /// </remarks>
    public const string V2 = """
        ALTER TABLE record ADD COLUMN body_state INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE record ADD COLUMN archive_id INTEGER NULL;
        CREATE INDEX record_at ON record (at);
        CREATE INDEX record_message_id ON record (message_id);
        CREATE INDEX record_request_id ON record (request_id);
        CREATE INDEX record_body_at ON record (at) WHERE body IS NOT NULL;
        CREATE TABLE archive (
            id INTEGER PRIMARY KEY,
            first_seq INTEGER NOT NULL,
            last_seq INTEGER NOT NULL,
            file_name TEXT NOT NULL,
            file_sha256 BLOB NOT NULL,
            manifest_sha256 BLOB NOT NULL,
            previous_sha256 BLOB NULL,
            created_at INTEGER NOT NULL,
            encrypted INTEGER NOT NULL
        );
        CREATE TABLE witness (
            tree_size INTEGER PRIMARY KEY,
            witnessed_at INTEGER NOT NULL,
            witness_url TEXT NOT NULL,
            statement BLOB NOT NULL,
            signature BLOB NOT NULL
        );
        """;

    /// <summary>Body states (<c>record.body_state</c>).</summary>
    public const int BodyAsWritten = 0;

    /// <summary>The body was erased by retention.</summary>
    public const int BodyErased = 1;

    /// <summary>The record's content moved to an archive file.</summary>
    public const int RecordArchived = 2;

    /// <summary>The record columns in the order <see cref="RecordColumns"/> reads them.</summary>
    public const string RecordColumns =
        "seq, leaf_hash, logged_at, side, kind, at, request_id, message_id, client_id, service_id, user_id, http_status, error_code, body_length, body_digest, head, signature, ocsp, body";

    /// <summary>How many columns <see cref="RecordColumns"/> names: a select may add more after them.</summary>
    public const int RecordColumnCount = 19;

    public const string CheckpointColumns =
        "tree_size, root_hash, created_at, content, signature, token, stamped_at, tsa_url";
}
