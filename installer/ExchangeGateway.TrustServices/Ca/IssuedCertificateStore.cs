using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Data.Sqlite;

namespace ExchangeGateway.TrustServices.Ca;

/// <summary>
/// The dev CA's record of what it issued and revoked, in SQLite. The OCSP responder answers from it.
/// Writes are rare (issuance, revocation); reads come from OCSP requests.
/// </summary>
public sealed class IssuedCertificateStore : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly Lock _gate = new();

    /// <summary>Opens (and creates) the store. Use <c>Data Source=:memory:</c> for tests.</summary>
    public IssuedCertificateStore(string connectionString)
    {
        _connection = new SqliteConnection(connectionString);
        _connection.Open();
        Execute("PRAGMA journal_mode=WAL;");
        Execute("""
            CREATE TABLE IF NOT EXISTS issued_certificate (
                serial_hex TEXT PRIMARY KEY NOT NULL,
                subject TEXT NOT NULL,
                profile TEXT NOT NULL,
                not_before TEXT NOT NULL,
                not_after TEXT NOT NULL,
                der BLOB NOT NULL,
                revoked_at TEXT NULL,
                revocation_reason INTEGER NULL
            );
            """);
    }

    /// <summary>Opens the store in a data directory (<c>ca.db</c>).</summary>
    public static IssuedCertificateStore OpenInDirectory(string directory) =>
        new(new SqliteConnectionStringBuilder { DataSource = Path.Combine(directory, "ca.db"), Pooling = false }.ToString());

    /// <summary>Records an issued certificate.</summary>
    public IssuedCertificate Add(X509Certificate2 certificate, CertificateProfile profile)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var entry = new IssuedCertificate(
            certificate.SerialNumber.ToUpperInvariant(),
            certificate.Subject,
            profile,
            new DateTimeOffset(certificate.NotBefore.ToUniversalTime(), TimeSpan.Zero),
            new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero),
            certificate.RawData,
            null,
            null);
        lock (_gate)
        {
            using var cmd = _connection.CreateCommand();
            cmd.CommandText = """
                INSERT INTO issued_certificate (serial_hex, subject, profile, not_before, not_after, der)
                VALUES ($serial, $subject, $profile, $nb, $na, $der);
                """;
            cmd.Parameters.AddWithValue("$serial", entry.SerialHex);
            cmd.Parameters.AddWithValue("$subject", entry.Subject);
            cmd.Parameters.AddWithValue("$profile", entry.Profile.ToString());
            cmd.Parameters.AddWithValue("$nb", entry.NotBefore.ToString("O", CultureInfo.InvariantCulture));
            cmd.Parameters.AddWithValue("$na", entry.NotAfter.ToString("O", CultureInfo.InvariantCulture));
            cmd.Parameters.AddWithValue("$der", entry.Der);
            cmd.ExecuteNonQuery();
        }

        return entry;
    }

    /// <summary>Finds a certificate by serial (hex, any case, leading zeros as encoded).</summary>
    public IssuedCertificate? Find(string serialHex)
    {
        ArgumentNullException.ThrowIfNull(serialHex);
        lock (_gate)
        {
            using var cmd = _connection.CreateCommand();
            cmd.CommandText = "SELECT serial_hex, subject, profile, not_before, not_after, der, revoked_at, revocation_reason FROM issued_certificate WHERE serial_hex = $serial;";
            cmd.Parameters.AddWithValue("$serial", serialHex.ToUpperInvariant());
            using var reader = cmd.ExecuteReader();
            return reader.Read() ? ReadEntry(reader) : null;
        }
    }

    /// <summary>Finds a certificate by its serial number bytes (big-endian, as in a CertID).</summary>
    public IssuedCertificate? Find(ReadOnlySpan<byte> serial) => Find(Convert.ToHexString(serial));

    /// <summary>All issued certificates, newest last.</summary>
    public IReadOnlyList<IssuedCertificate> List()
    {
        lock (_gate)
        {
            using var cmd = _connection.CreateCommand();
            cmd.CommandText = "SELECT serial_hex, subject, profile, not_before, not_after, der, revoked_at, revocation_reason FROM issued_certificate ORDER BY rowid;";
            using var reader = cmd.ExecuteReader();
            var list = new List<IssuedCertificate>();
            while (reader.Read())
            {
                list.Add(ReadEntry(reader));
            }

            return list;
        }
    }

    /// <summary>True when the database answers a query (readiness).</summary>
    public bool IsReadable()
    {
        try
        {
            lock (_gate)
            {
                using var cmd = _connection.CreateCommand();
                cmd.CommandText = "SELECT count(*) FROM issued_certificate;";
                return cmd.ExecuteScalar() is long;
            }
        }
        catch (SqliteException)
        {
            return false;
        }
    }

    /// <summary>Revokes a certificate. Returns false when the serial is unknown; revoking twice keeps the first time.</summary>
    public bool Revoke(string serialHex, DateTimeOffset at, int reason)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(reason);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(reason, 10);
        lock (_gate)
        {
            using var cmd = _connection.CreateCommand();
            cmd.CommandText = """
                UPDATE issued_certificate SET revoked_at = COALESCE(revoked_at, $at), revocation_reason = COALESCE(revocation_reason, $reason)
                WHERE serial_hex = $serial;
                """;
            cmd.Parameters.AddWithValue("$serial", serialHex.ToUpperInvariant());
            cmd.Parameters.AddWithValue("$at", at.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));
            cmd.Parameters.AddWithValue("$reason", reason);
            return cmd.ExecuteNonQuery() == 1;
        }
    }

    /// <inheritdoc />
    public void Dispose() => _connection.Dispose();

    private void Execute(string sql)
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    private static IssuedCertificate ReadEntry(SqliteDataReader r) => new(
        r.GetString(0),
        r.GetString(1),
        Enum.Parse<CertificateProfile>(r.GetString(2)),
        DateTimeOffset.Parse(r.GetString(3), CultureInfo.InvariantCulture),
        DateTimeOffset.Parse(r.GetString(4), CultureInfo.InvariantCulture),
        (byte[])r.GetValue(5),
        r.IsDBNull(6) ? null : DateTimeOffset.Parse(r.GetString(6), CultureInfo.InvariantCulture),
        r.IsDBNull(7) ? null : r.GetInt32(7));
}
