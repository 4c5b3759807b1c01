namespace ExchangeGateway.MessageLog.Evidence;

/// <summary>The names of the checks <see cref="LogExportVerifier"/> reports (stable: <c>--json</c> consumers rely on them).</summary>
public static class LogExportChecks
{
    /// <summary>The header line parses.</summary>
    public const string Header = "export.header";

    /// <summary>Checkpoint A's content parses and names the server and size.</summary>
    public const string FromContent = "checkpoint.from.content";

    /// <summary>Checkpoint A's frontier gives its root.</summary>
    public const string FromFrontier = "checkpoint.from.frontier";

    /// <summary>Checkpoint A's signature is by the server's owner.</summary>
    public const string FromSignature = "checkpoint.from.signature";

    /// <summary>Checkpoint A's time-stamp covers its signature.</summary>
    public const string FromTimeStamp = "checkpoint.from.timestamp";

    /// <summary>Checkpoint B's content parses and names the server and size.</summary>
    public const string ToContent = "checkpoint.to.content";

    /// <summary>Checkpoint B's signature is by the server's owner.</summary>
    public const string ToSignature = "checkpoint.to.signature";

    /// <summary>Checkpoint B's time-stamp covers its signature.</summary>
    public const string ToTimeStamp = "checkpoint.to.timestamp";

    /// <summary>Summary of every record's <c>record.N.encoding</c>.</summary>
    public const string RecordsEncoding = "records.encoding";

    /// <summary>Summary of every record's <c>record.N.body</c>.</summary>
    public const string RecordsBody = "records.body";

    /// <summary>Summary of every record's <c>record.N.signature</c>.</summary>
    public const string RecordsSignature = "records.signature";

    /// <summary>The records are exactly A.size + 1 to B.size, in order.</summary>
    public const string Sequence = "sequence";

    /// <summary>The records folded onto A's frontier give B's root.</summary>
    public const string Root = "root";

    /// <summary>The consistency proof from A to B verifies.</summary>
    public const string Consistency = "consistency";

    /// <summary>The end line is present and right.</summary>
    public const string End = "end";

    /// <summary>The name of the check of one record, e.g. <c>record.12.signature</c>.</summary>
    public static string Record(long sequence, string aspect) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"record.{sequence}.{aspect}");

    /// <summary>The name of the check of the witness statement of a tree size, e.g. <c>witness.1024</c>.</summary>
    public static string Witness(long treeSize) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"witness.{treeSize}");
}
