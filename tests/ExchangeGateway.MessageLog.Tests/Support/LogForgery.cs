using ExchangeGateway.MessageLog.Records;
using ExchangeGateway.MessageLog.Storage;
using Microsoft.Data.Sqlite;

namespace ExchangeGateway.MessageLog.Tests.Support;

/// <summary>What an attacker with write access to a log file does, for the tamper tests: change a record and cover it up.</summary>
internal static class LogForgery
{
    /// <summary>Rewrites record <paramref name="sequence"/>'s client id and stores the leaf recomputed for it, so the row is self-consistent.</summary>
    public static void ForgeClientIdAndLeaf(string databasePath, long sequence, string clientId)
    {
        using var connection = new SqliteConnection($"Data Source={databasePath};Pooling=False");
        connection.Open();
        MessageRecord record;
        using (var select = connection.CreateCommand())
        {
            select.CommandText = $"SELECT {LogSchema.RecordColumns} FROM record WHERE seq = $seq;";
            select.Parameters.AddWithValue("$seq", sequence);
            using var r = select.ExecuteReader();
            Assert.True(r.Read());
            record = LogRows.ReadRecord(r).Record with { ClientId = clientId };
        }

        using var update = connection.CreateCommand();
        update.CommandText = "UPDATE record SET client_id = $client, leaf_hash = $leaf WHERE seq = $seq;";
        update.Parameters.AddWithValue("$client", clientId);
        update.Parameters.AddWithValue("$leaf", RecordEncoding.LeafHash(sequence, record).ToArray());
        update.Parameters.AddWithValue("$seq", sequence);
        Assert.Equal(1, update.ExecuteNonQuery());
    }
}
