using Microsoft.Data.Sqlite;

namespace ExchangeGateway.Quickstart.Smoke;

/// <summary>
/// Looks for one exchange's records in a security server's message log: every SQLite database under its
/// data folder (except the configuration cache), read-only, every table, any row that names the
/// <c>X-Road-Id</c>. A row counts as the request or the response record by a kind-like column
/// (<c>kind</c>, <c>type</c>, <c>direction</c>, …) or its table's name.
/// </summary>
internal static class MessageLogProbe
{
    private static readonly string[] KindColumns = ["kind", "type", "direction", "record_type", "recordtype", "message_type", "messagetype", "role"];
    private static readonly string[] DatabasePatterns = ["*.db", "*.sqlite", "*.sqlite3"];

    /// <summary>How many request and response records name <paramref name="xRoadId"/>, and which databases were searched.</summary>
    public static MessageLogFindings Find(string dataDirectory, string xRoadId)
    {
        var requests = 0;
        var responses = 0;
        var unclassified = 0;
        var searched = new List<string>();
        foreach (var database in Databases(dataDirectory))
        {
            searched.Add(Path.GetRelativePath(dataDirectory, database));
            var connectionString = new SqliteConnectionStringBuilder { DataSource = database, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString();
            using var connection = new SqliteConnection(connectionString);
            connection.Open();
            foreach (var table in Tables(connection))
            {
                var columns = Columns(connection, table);
                if (columns.Count == 0)
                {
                    continue;
                }

                using var select = connection.CreateCommand();
                var match = string.Join(" OR ", columns.Select(c => $"instr(CAST({Quote(c)} AS TEXT), $id) > 0"));
                select.CommandText = $"SELECT * FROM {Quote(table)} WHERE {match} LIMIT 100";
                select.Parameters.AddWithValue("$id", xRoadId);
                using var rows = select.ExecuteReader();
                while (rows.Read())
                {
                    switch (Classify(table, rows))
                    {
                        case "request":
                            requests++;
                            break;
                        case "response":
                            responses++;
                            break;
                        default:
                            unclassified++;
                            break;
                    }
                }
            }
        }

        return new MessageLogFindings(requests, responses, unclassified, searched);
    }

    private static IEnumerable<string> Databases(string dataDirectory)
    {
        if (!Directory.Exists(dataDirectory))
        {
            return [];
        }

        var globalconf = Path.Combine(dataDirectory, "globalconf") + Path.DirectorySeparatorChar;
        return DatabasePatterns
            .SelectMany(p => Directory.EnumerateFiles(dataDirectory, p, SearchOption.AllDirectories))
            .Where(f => !f.StartsWith(globalconf, StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal);
    }

    private static List<string> Tables(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'";
        using var reader = command.ExecuteReader();
        var tables = new List<string>();
        while (reader.Read())
        {
            tables.Add(reader.GetString(0));
        }

        return tables;
    }

    private static List<string> Columns(SqliteConnection connection, string table)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT name FROM pragma_table_info({Literal(table)})";
        using var reader = command.ExecuteReader();
        var columns = new List<string>();
        while (reader.Read())
        {
            columns.Add(reader.GetString(0));
        }

        return columns;
    }

    private static string? Classify(string table, SqliteDataReader row)
    {
        for (var i = 0; i < row.FieldCount; i++)
        {
            if (KindColumns.Contains(row.GetName(i).ToLowerInvariant()) && !row.IsDBNull(i) && row.GetValue(i) is string value)
            {
                var kind = Kind(value);
                if (kind is not null)
                {
                    return kind;
                }
            }
        }

        return Kind(table);
    }

    private static string? Kind(string text)
    {
        var lower = text.ToLowerInvariant();
        var request = lower.Contains("req", StringComparison.Ordinal);
        var response = lower.Contains("res", StringComparison.Ordinal) && !lower.Contains("request", StringComparison.Ordinal);
        return (request, response) switch
        {
            (true, false) => "request",
            (false, true) => "response",
            _ => null,
        };
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static string Literal(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";
}
