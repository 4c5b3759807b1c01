namespace ExchangeGateway.MessageLog.Storage;

/// <summary>
/// The message-log schema (<c>PRAGMA user_version</c>). Small fixed columns come first in <c>record</c>
/// so that reading leaf hashes and metadata never touches the overflow pages of heads, signatures and
/// bodies. Times are Unix microseconds (UTC); MessageLog/README.md describes every column.
/// </summary>
internal static class LogSchema
{
    /// <summary>The schema this code reads and writes.</summary>
    public const int Version = 1;

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

    /// <summary>The record columns in the order <see cref="RecordColumns"/> reads them.</summary>
    public const string RecordColumns =
        "seq, leaf_hash, logged_at, side, kind, at, request_id, message_id, client_id, service_id, user_id, http_status, error_code, body_length, body_digest, head, signature, ocsp, body";

    public const string CheckpointColumns =
        "tree_size, root_hash, created_at, content, signature, token, stamped_at, tsa_url";
}
