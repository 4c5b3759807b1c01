namespace ExchangeGateway.MessageLog.Evidence;

/// <summary>What <see cref="LogExportReader.ReadItem"/> found.</summary>
public enum LogExportItemKind
{
    /// <summary>A record line.</summary>
    Record = 1,

    /// <summary>The end line <c>{"end":true,"records":n}</c>.</summary>
    End,

    /// <summary>Nothing more: the stream ended after a complete line.</summary>
    EndOfFile,
}
