namespace ExchangeGateway.SecurityServer.Backup;

/// <summary>A backup file in <c>{DataDirectory}/backups/</c>.</summary>
/// <param name="Name">The file name, <c>xgw-backup-{serverCode}-{yyyyMMddTHHmmssZ}.tar</c>.</param>
/// <param name="Size">Its size in bytes.</param>
/// <param name="Sha256">SHA-256 of the file, lowercase hex.</param>
/// <param name="CreatedAt">When it was made (from its name).</param>
public sealed record BackupInfo(string Name, long Size, string Sha256, DateTimeOffset CreatedAt);
