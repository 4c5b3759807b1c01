using ExchangeGateway.Common.Crypto.Merkle;
using ExchangeGateway.MessageLog.Records;
using Microsoft.Data.Sqlite;

namespace ExchangeGateway.MessageLog.Storage;

/// <summary>Reads rows of <see cref="LogSchema"/> back into values; shared by the store and the verifier.</summary>
internal static class LogRows
{
    /// <summary>Reads a row selected with <see cref="LogSchema.RecordColumns"/>.</summary>
    /// <exception cref="ArgumentException">A stored value breaks the record rules (tampering or corruption).</exception>
    /// <exception cref="InvalidCastException">A stored value has the wrong type.</exception>
    public static LoggedRecord ReadRecord(SqliteDataReader r)
    {
        var record = new MessageRecord
        {
            Side = (RecordSide)r.GetInt64(3),
            Kind = (RecordKind)r.GetInt64(4),
            At = LogTime.FromUnixMicroseconds(r.GetInt64(5)),
            RequestId = new Guid(Blob(r, 6), bigEndian: true),
            MessageId = r.GetString(7),
            ClientId = r.GetString(8),
            ServiceId = r.GetString(9),
            UserId = r.IsDBNull(10) ? null : r.GetString(10),
            HttpStatus = r.IsDBNull(11) ? null : checked((int)r.GetInt64(11)),
            ErrorCode = r.IsDBNull(12) ? null : r.GetString(12),
            BodyLength = r.GetInt64(13),
            BodyDigest = Blob(r, 14),
            Head = Blob(r, 15),
            Signature = Blob(r, 16),
            Ocsp = Blob(r, 17),
            Body = r.IsDBNull(18) ? (ReadOnlyMemory<byte>?)null : Blob(r, 18),
        };
        var leaf = Blob(r, 1);
        if (!MerkleHash.TryCreate(leaf, out var leafHash))
        {
            throw new ArgumentException($"stored leaf hash is {leaf.Length} bytes, not {MerkleHash.SizeInBytes}");
        }

        return new LoggedRecord(r.GetInt64(0), record, leafHash, LogTime.FromUnixMicroseconds(r.GetInt64(2)));
    }

    /// <summary>Reads a row selected with <see cref="LogSchema.CheckpointColumns"/>.</summary>
    /// <exception cref="ArgumentException">The stored root is not 32 bytes.</exception>
    public static StoredCheckpoint ReadCheckpoint(SqliteDataReader r)
    {
        var root = Blob(r, 1);
        if (!MerkleHash.TryCreate(root, out var rootHash))
        {
            throw new ArgumentException($"stored root hash is {root.Length} bytes, not {MerkleHash.SizeInBytes}");
        }

        return new StoredCheckpoint(
            r.GetInt64(0),
            rootHash,
            LogTime.FromUnixMicroseconds(r.GetInt64(2)),
            Blob(r, 3),
            Blob(r, 4),
            r.IsDBNull(5) ? (ReadOnlyMemory<byte>?)null : Blob(r, 5),
            r.IsDBNull(6) ? null : LogTime.FromUnixMicroseconds(r.GetInt64(6)),
            r.IsDBNull(7) ? null : r.GetString(7));
    }

    /// <summary>A BLOB column (an empty BLOB reads as an empty array, not null).</summary>
    public static byte[] Blob(SqliteDataReader r, int ordinal) =>
        r.IsDBNull(ordinal) ? throw new InvalidCastException($"column {ordinal} is NULL") : r.GetFieldValue<byte[]>(ordinal);
}
