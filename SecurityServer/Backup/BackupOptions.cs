namespace ExchangeGateway.SecurityServer.Backup;

/// <summary>Where the backed-up files live and the limits of a restore.</summary>
public sealed record BackupOptions
{
    /// <summary>The security server's data directory; backups go to <c>backups/</c> inside it.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>The configuration anchor file (may live outside the data directory).</summary>
    public required string AnchorPath { get; init; }

    /// <summary>The largest backup accepted for restore, and the most a backup may hold (default 256 MiB).</summary>
    public long MaxBackupBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>The most entries a backup may have (default 10,000).</summary>
    public int MaxEntries { get; init; } = 10_000;
}
