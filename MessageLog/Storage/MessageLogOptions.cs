using System.Security.Cryptography.X509Certificates;

namespace ExchangeGateway.MessageLog.Storage;

/// <summary>Settings of a <see cref="MessageLogStore"/>; validated when the store opens.</summary>
public sealed record MessageLogOptions
{
    /// <summary>The SQLite database file; created (mode 0600, directory 0700) when absent.</summary>
    public required string DatabasePath { get; init; }

    /// <summary>fsync policy; <see cref="MessageLogSynchronous.Full"/> by default.</summary>
    public MessageLogSynchronous Synchronous { get; init; } = MessageLogSynchronous.Full;

    /// <summary>The most records committed in one transaction (one fsync); default 256.</summary>
    public int MaxBatch { get; init; } = 256;

    /// <summary>A batch closes early once its records hold this many bytes, so large bodies do not pile into one transaction; default 32 MiB.</summary>
    public long MaxBatchBytes { get; init; } = 32L * 1024 * 1024;

    /// <summary>Records waiting for the writer before <see cref="MessageLogStore.AppendAsync"/> waits for room (back-pressure); default 16,384.</summary>
    public int QueueCapacity { get; init; } = 16_384;

    /// <summary>
    /// How long a commit waits for a lock held by another connection before it fails with
    /// <see cref="LogFailure.DatabaseError"/>. Whole seconds, at least one (Microsoft.Data.Sqlite's retry
    /// loop counts in seconds); default 5 s.
    /// </summary>
    public TimeSpan BusyTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The acceptable time-stamp failure period of global configuration, read on every request append so
    /// that a new configuration applies at once. Default 4 hours (X-Road's default, 14,400 s).
    /// </summary>
    public Func<TimeSpan> TimeStampFailurePeriod { get; init; } = static () => TimeSpan.FromHours(4);

    /// <summary>How many of the newest records are recomputed and checked when the store opens; default 256.</summary>
    public int TailCheckCount { get; init; } = 256;

    /// <summary>WAL size in pages at which SQLite copies it back into the database; default 4,096 (16 MiB with 4 KiB pages).</summary>
    public int WalAutoCheckpointPages { get; init; } = 4096;

    /// <summary>
    /// Where the archives of this log are (MessageLog/README.md "Archives"): the archiver writes them there
    /// and <see cref="MessageLogStore.Read"/> reads archived records back from them. Null means the
    /// <c>archives</c> directory beside the database file.
    /// </summary>
    public string? ArchiveDirectory { get; init; }

    /// <summary>
    /// Certificates with private keys that unwrap the keys of encrypted archives, so that archived bodies
    /// read back decrypted; without one an encrypted archived body reads as <see cref="Records.RecordBodyState.Encrypted"/>.
    /// </summary>
    public IReadOnlyList<X509Certificate2> ArchiveDecryptionCertificates { get; init; } = [];

    /// <summary>Throws when a value is out of range, so bad settings stop start-up (HOUSE-STYLE habit 5).</summary>
    public void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(DatabasePath, nameof(DatabasePath));
        if (!Enum.IsDefined(Synchronous))
        {
            throw new ArgumentOutOfRangeException(nameof(Synchronous), Synchronous, "Unknown synchronous mode.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBatch, 1, nameof(MaxBatch));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBatchBytes, 1, nameof(MaxBatchBytes));
        ArgumentOutOfRangeException.ThrowIfLessThan(QueueCapacity, 1, nameof(QueueCapacity));
        ArgumentOutOfRangeException.ThrowIfLessThan(BusyTimeout, TimeSpan.Zero, nameof(BusyTimeout));
        ArgumentNullException.ThrowIfNull(TimeStampFailurePeriod, nameof(TimeStampFailurePeriod));
        ArgumentOutOfRangeException.ThrowIfNegative(TailCheckCount, nameof(TailCheckCount));
        ArgumentOutOfRangeException.ThrowIfLessThan(WalAutoCheckpointPages, 1, nameof(WalAutoCheckpointPages));
        ArgumentNullException.ThrowIfNull(ArchiveDecryptionCertificates, nameof(ArchiveDecryptionCertificates));
        if (ArchiveDirectory is not null)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(ArchiveDirectory, nameof(ArchiveDirectory));
        }

        foreach (var certificate in ArchiveDecryptionCertificates)
        {
            if (!certificate.HasPrivateKey)
            {
                throw new ArgumentException($"The archive decryption certificate {certificate.Subject} has no private key.", nameof(ArchiveDecryptionCertificates));
            }
        }
    }
}
