using ExchangeGateway.MessageLog.Records;
using ExchangeGateway.MessageLog.Storage;

namespace ExchangeGateway.MessageLog.Evidence;

/// <summary>Options of <see cref="LogExportWriter"/>.</summary>
public sealed record LogExportWriterOptions
{
    /// <summary>The clock for the header's <c>createdAt</c>.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Bounds waits for a writer's lock on the database.</summary>
    public TimeSpan BusyTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// A proofs instance over the same database to take the consistency proof from (a running server passes
    /// <see cref="MessageLogStore.Proofs"/>, whose cache makes the proof cheap); when null the writer opens
    /// and closes its own.
    /// </summary>
    public MessageLogProofs? Proofs { get; init; }

    /// <summary>
    /// Reads back an archived record (<c>record.body_state</c> 2), whose content left the live row. When null,
    /// a range holding an archived record fails with <see cref="LogExportFailure.RecordUnavailable"/>. The
    /// record returned must hash to the stored leaf.
    /// </summary>
    public Func<long, StoredRecord?>? ArchivedRecord { get; init; }

    /// <summary>Add the Central Server's witness statements stored in the log (table <c>witness</c>) whose tree size lies in the range.</summary>
    public bool IncludeStoredWitnesses { get; init; } = true;
}
