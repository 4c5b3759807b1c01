using ExchangeGateway.CentralServer.Storage;
using ExchangeGateway.Testing.Tools;
using Microsoft.Data.Sqlite;

namespace ExchangeGateway.CentralServer.Tests;

/// <summary>A database created by an earlier release opens and gains the tables of later schema versions.</summary>
public sealed class SchemaMigrationTests
{
    [Fact]
    public void OpenOrCreate_Version1Database_MigratesKeepingData()
    {
        using var dir = new TempDirectory();
        var dataDirectory = dir.File("central");
        Directory.CreateDirectory(dataDirectory);
        var path = Path.Combine(dataDirectory, RegistryDatabase.FileName);
        using (var v1 = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            v1.Open();
            using var cmd = v1.CreateCommand();
            cmd.CommandText = Schema.V1 + """
                INSERT INTO registry_state (id, instance_id, version, created_at) VALUES (1, 'EE', 7, '2026-01-01T00:00:00.0000000+00:00');
                INSERT INTO member_class (code, description) VALUES ('GOV', 'Government');
                PRAGMA user_version = 1;
                """;
            cmd.ExecuteNonQuery();
        }

        using var db = RegistryDatabase.OpenOrCreate(dataDirectory, "EE", TimeProvider.System);

        Assert.False(db.Created);
        Assert.Equal(7, db.Read((c, tx) => Sql.Scalar<long>(c, tx, "SELECT version FROM registry_state WHERE id = 1;")));
        Assert.Equal(0, db.Read((c, tx) => Sql.Scalar<long>(c, tx, "SELECT COUNT(*) FROM management_request;")));
        Assert.Equal(RegistryDatabase.SchemaVersion, db.Read((c, tx) => Sql.Scalar<long>(c, tx, "PRAGMA user_version;")));
        Assert.Equal(1, db.Read((c, tx) => Sql.Scalar<long>(c, tx, "SELECT COUNT(*) FROM pragma_table_info('server_client') WHERE name = 'disabled';")));
        Assert.Equal(1, db.Read((c, tx) => Sql.Scalar<long>(c, tx, "SELECT COUNT(*) FROM pragma_table_info('management_request') WHERE name = 'new_owner';")));
        Assert.Equal(0, db.Read((c, tx) => Sql.Scalar<long>(c, tx, "SELECT COUNT(*) FROM witness_statement;")));
        Assert.Equal(0, db.Read((c, tx) => Sql.Scalar<long>(c, tx, "SELECT COUNT(*) FROM witness_refusal;")));
    }
}
