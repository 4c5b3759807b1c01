using Microsoft.Data.Sqlite;

namespace ExchangeGateway.Quickstart.Smoke;

/// <summary>
/// Reads one exchange's records from a security server's message log, <c>{DataDirectory}/messagelog.db</c>
/// (table <c>record</c>: <c>message_id</c> is the <c>X-Road-Id</c>, <c>kind</c> 1 request / 2 response,
/// <c>side</c> 1 client proxy / 2 server proxy; see <c>MessageLog/Storage/LogSchema.cs</c>). Read-only, so it
/// can look while the server runs.
/// </summary>
internal static class MessageLogProbe
{
    public const string FileName = "messagelog.db";

    public static MessageLogFindings Find(string dataDirectory, string xRoadId)
    {
        var path = Path.Combine(dataDirectory, FileName);
        if (!File.Exists(path))
        {
            return new MessageLogFindings(0, 0, new SortedSet<long>(), $"{path} does not exist");
        }

        var connectionString = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString();
        try
        {
            using var connection = new SqliteConnection(connectionString);
            connection.Open();
            using var select = connection.CreateCommand();
            select.CommandText = "SELECT kind, side, http_status FROM record WHERE message_id = $id ORDER BY seq";
            select.Parameters.AddWithValue("$id", xRoadId);
            using var rows = select.ExecuteReader();
            int requests = 0, responses = 0;
            var sides = new SortedSet<long>();
            while (rows.Read())
            {
                switch (rows.GetInt64(0))
                {
                    case 1:
                        requests++;
                        break;
                    case 2:
                        responses++;
                        break;
                }

                sides.Add(rows.GetInt64(1));
            }

            return new MessageLogFindings(requests, responses, sides, null);
        }
        catch (SqliteException ex)
        {
            // Busy or mid-migration: the caller retries for a bounded while.
            return new MessageLogFindings(0, 0, new SortedSet<long>(), $"{path}: {ex.Message}");
        }
    }
}
