using System.Net.Http.Headers;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using ExchangeGateway.Common.Crypto.Cms;
using ExchangeGateway.Common.Crypto.Merkle;
using ExchangeGateway.Common.Crypto.TimeStamping;
using ExchangeGateway.MessageLog.Integration;
using ExchangeGateway.MessageLog.Records;
using ExchangeGateway.Signer.Identities;
using Microsoft.Data.Sqlite;

namespace ExchangeGateway.SecurityServer.Tests.Evidence;

/// <summary>
/// What an operator with the server's keys could do to a stopped server's message log: rewrite one record and
/// make everything above it agree again — the record's leaf hash, every checkpoint's root, canonical bytes,
/// frontier and signature (with the server's real signing key) and, for stamped checkpoints, a fresh RFC 3161
/// token from the federation's TSA. The result passes the log's own checks; only an earlier witness can tell.
/// </summary>
internal static class LogRewriter
{
    /// <summary>Rewrites record <paramref name="sequence"/>'s message id to <paramref name="newMessageId"/> and re-signs the log.</summary>
    public static async Task RewriteAsync(string databasePath, long sequence, string newMessageId, SigningIdentity signer, Uri tsaUrl)
    {
        using var connection = new SqliteConnection($"Data Source={databasePath};Pooling=False");
        connection.Open();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var tx = connection.BeginTransaction();

        var record = ReadRecord(connection, tx, sequence) with { MessageId = newMessageId };
        Execute(connection, tx, "UPDATE record SET message_id = $mid, leaf_hash = $leaf WHERE seq = $seq;",
            ("$mid", newMessageId), ("$leaf", RecordEncoding.LeafHash(sequence, record).ToArray()), ("$seq", sequence));

        var tree = new MerkleTree();
        foreach (var leaf in Query(connection, tx, "SELECT leaf_hash FROM record ORDER BY seq;", r => (byte[])r.GetValue(0)))
        {
            tree.AppendLeafHash(new MerkleHash(leaf));
        }

        var checkpoints = Query(connection, tx, "SELECT tree_size, content, token IS NOT NULL FROM checkpoint ORDER BY tree_size;",
            r => (Size: r.GetInt64(0), Content: (byte[])r.GetValue(1), Stamped: r.GetBoolean(2)));
        foreach (var (size, content, stamped) in checkpoints)
        {
            var parsed = Checkpoint.Parse(content);
            Assert.True(parsed.Success, parsed.Message);
            var rewritten = (parsed.Value! with { RootHash = tree.RootHashAt(size) }).Encode();
            var signature = CmsDetachedSigner.Sign(rewritten, signer.Certificate, DateTimeOffset.UtcNow, signer.Chain);
            Execute(connection, tx, "UPDATE checkpoint SET root_hash = $root, content = $content, signature = $sig, frontier = $frontier WHERE tree_size = $size;",
                ("$root", tree.RootHashAt(size).ToArray()), ("$content", rewritten), ("$sig", signature), ("$frontier", Frontier(tree, size)), ("$size", size));
            if (stamped)
            {
                var (token, genTime) = await StampAsync(http, tsaUrl, SHA256.HashData(signature));
                Execute(connection, tx, "UPDATE checkpoint SET token = $token, stamped_at = $at WHERE tree_size = $size;",
                    ("$token", token), ("$at", LogTime.ToUnixMicroseconds(genTime)), ("$size", size));
            }
        }

        tx.Commit();
    }

    // The roots of the perfect subtrees of the first `size` leaves, largest first (MessageLog's stored frontier).
    private static byte[] Frontier(MerkleTree tree, long size)
    {
        var frontier = new List<byte>();
        long start = 0;
        for (var height = 62; height >= 0; height--)
        {
            var width = 1L << height;
            if ((size & width) == 0)
            {
                continue;
            }

            var subtree = new MerkleTree();
            for (var i = start; i < start + width; i++)
            {
                subtree.AppendLeafHash(tree.GetLeafHash(i));
            }

            frontier.AddRange(subtree.RootHash.ToArray());
            start += width;
        }

        Assert.Equal(BitOperations.PopCount((ulong)size) * MerkleHash.SizeInBytes, frontier.Count);
        return [.. frontier];
    }

    private static async Task<(byte[] Token, DateTimeOffset GenTime)> StampAsync(HttpClient http, Uri tsaUrl, byte[] hash)
    {
        using var content = new ByteArrayContent(TimeStampRequestFactory.Create(hash, HashAlgorithmName.SHA256).Encode());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/timestamp-query");
        using var response = await http.PostAsync(tsaUrl, content);
        response.EnsureSuccessStatusCode();
        var token = TimeStampVerifier.ExtractToken(await response.Content.ReadAsByteArrayAsync());
        Assert.True(token.IsValid, token.Message);
        Assert.True(Rfc3161TimestampToken.TryDecode(token.Value, out var decoded, out _));
        return (token.Value.ToArray(), decoded!.TokenInfo.Timestamp);
    }

    private static MessageRecord ReadRecord(SqliteConnection c, SqliteTransaction tx, long sequence) =>
        Query(c, tx, """
            SELECT side, kind, at, request_id, message_id, client_id, service_id, user_id, http_status, error_code,
                   body_length, body_digest, head, signature, ocsp
            FROM record WHERE seq = $seq;
            """,
            r => new MessageRecord
            {
                Side = (RecordSide)r.GetInt64(0),
                Kind = (RecordKind)r.GetInt64(1),
                At = LogTime.FromUnixMicroseconds(r.GetInt64(2)),
                RequestId = new Guid((byte[])r.GetValue(3), bigEndian: true),
                MessageId = r.GetString(4),
                ClientId = r.GetString(5),
                ServiceId = r.GetString(6),
                UserId = r.IsDBNull(7) ? null : r.GetString(7),
                HttpStatus = r.IsDBNull(8) ? null : r.GetInt32(8),
                ErrorCode = r.IsDBNull(9) ? null : r.GetString(9),
                BodyLength = r.GetInt64(10),
                BodyDigest = (byte[])r.GetValue(11),
                Head = (byte[])r.GetValue(12),
                Signature = (byte[])r.GetValue(13),
                Ocsp = (byte[])r.GetValue(14),
            },
            ("$seq", sequence)).Single();

    private static void Execute(SqliteConnection c, SqliteTransaction tx, string sql, params (string Name, object Value)[] parameters)
    {
        using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            cmd.Parameters.AddWithValue(name, value);
        }

        Assert.Equal(1, cmd.ExecuteNonQuery());
    }

    private static List<T> Query<T>(SqliteConnection c, SqliteTransaction tx, string sql, Func<SqliteDataReader, T> map, params (string Name, object Value)[] parameters)
    {
        using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            cmd.Parameters.AddWithValue(name, value);
        }

        using var reader = cmd.ExecuteReader();
        var list = new List<T>();
        while (reader.Read())
        {
            list.Add(map(reader));
        }

        return list;
    }
}
