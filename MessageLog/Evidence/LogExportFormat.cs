namespace ExchangeGateway.MessageLog.Evidence;

/// <summary>
/// The exported log range (<c>.xgwl</c>): JSON Lines, one header line, one line per record in sequence
/// order, one end line. MessageLog/README.md ("Log exports") documents every field.
/// </summary>
public static class LogExportFormat
{
    /// <summary>The header's <c>format</c> value.</summary>
    public const string Name = "xgw-log-export/v1";

    /// <summary>The media type of an export.</summary>
    public const string MediaType = "application/vnd.xgw.log-export+jsonl";

    /// <summary>The file extension of an export.</summary>
    public const string FileExtension = ".xgwl";

    /// <summary>
    /// The longest line a reader accepts by default: 64 MiB, room for a record whose body is about 47 MiB
    /// (base64 grows it by a third). The security server's default body limit is 10 MiB.
    /// </summary>
    public const int DefaultMaxLineBytes = 64 * 1024 * 1024;

    /// <summary>The error code of an export that does not follow the format.</summary>
    public const string MalformedCode = "messagelog.invalid_export";

    /// <summary>The <c>bodyState</c> text of a record exported with its body.</summary>
    public const string BodyPresent = "present";

    /// <summary>The <c>bodyState</c> text of a record whose body was never logged (only its digest).</summary>
    public const string BodyNotLogged = "not-logged";

    /// <summary>The <c>bodyState</c> text of a record whose body retention erased.</summary>
    public const string BodyErased = "erased";

    /// <summary>
    /// The <c>bodyState</c> text of a record whose body is kept in an encrypted archive that the exporting server
    /// cannot open (no decryption key configured there): the holder of the archive key can produce it, and it must
    /// hash to the digest in the leaf.
    /// </summary>
    public const string BodySealed = "sealed";
}
