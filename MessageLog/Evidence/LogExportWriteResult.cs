using System.Globalization;

namespace ExchangeGateway.MessageLog.Evidence;

/// <summary>What <see cref="LogExportWriter"/> did: how much it wrote, or why it wrote nothing.</summary>
/// <param name="Failure"><see cref="LogExportFailure.None"/> when the export was written.</param>
/// <param name="Item">The tree size or sequence a failure is about.</param>
/// <param name="Message">What was wrong, for the operator; null on success.</param>
/// <param name="Records">Records written.</param>
/// <param name="Bytes">Bytes written.</param>
public sealed record LogExportWriteResult(LogExportFailure Failure, long? Item, string? Message, long Records, long Bytes)
{
    /// <summary>True when the export was written.</summary>
    public bool IsSuccess => Failure == LogExportFailure.None;

    internal static LogExportWriteResult Fail(LogExportFailure failure, long item, string message) => new(failure, item, message, 0, 0);

    /// <inheritdoc />
    public override string ToString() => IsSuccess
        ? string.Create(CultureInfo.InvariantCulture, $"{Records} records, {Bytes} bytes")
        : string.Create(CultureInfo.InvariantCulture, $"{Failure} ({Item}): {Message}");
}
