namespace ExchangeGateway.MessageLog.Evidence;

/// <summary>One line after the header, as <see cref="LogExportReader"/> read it.</summary>
/// <param name="Kind">Record, end line, or the end of the stream.</param>
/// <param name="Line">The 1-based line number (the header is line 1); for the end of the stream, the last line's number.</param>
/// <param name="Record">The record, for <see cref="LogExportItemKind.Record"/>.</param>
/// <param name="EndRecords">The record count the end line declares, for <see cref="LogExportItemKind.End"/>.</param>
public sealed record LogExportItem(LogExportItemKind Kind, long Line, LogExportRecord? Record = null, long EndRecords = 0);
