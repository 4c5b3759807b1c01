namespace ExchangeGateway.MessageLog.Evidence;

/// <summary>
/// The evidence of one message, or of a request and its response, from one security server's log: the
/// records, their proofs into one signed and time-stamped checkpoint, and the trust material to check it
/// all with. Its file form is <see cref="EvidenceBundleSerializer"/>; <see cref="EvidenceBundleVerifier"/>
/// checks it; <see cref="EvidenceBundleBuilder"/> makes it from the log.
/// </summary>
/// <param name="CreatedAt">When the bundle was made (information only).</param>
/// <param name="Server">The canonical id of the security server whose log the records come from.</param>
/// <param name="Records">One or two records, in sequence order.</param>
/// <param name="Checkpoint">The checkpoint every record is proven against.</param>
/// <param name="Trust">The trust material of the global configuration.</param>
/// <param name="Witness">The Central Server's statement for the checkpoint, when it witnessed it.</param>
public sealed record EvidenceBundle(
    DateTimeOffset CreatedAt,
    string Server,
    IReadOnlyList<EvidenceRecord> Records,
    EvidenceCheckpoint Checkpoint,
    EvidenceTrust Trust,
    EvidenceWitness? Witness)
{
    /// <summary>The value of the bundle's <c>format</c> property.</summary>
    public const string Format = "xgw-evidence-bundle/v1";

    /// <summary>The bundle's media type.</summary>
    public const string MediaType = "application/vnd.xgw.evidence+json";

    /// <summary>The bundle file's extension.</summary>
    public const string FileExtension = ".xgwe";

    /// <summary>What the bundle is about, for a report: "bundle of {server} record(s) 12, 13".</summary>
    public string Describe() =>
        $"bundle of {Server} record{(Records.Count == 1 ? string.Empty : "s")} {string.Join(", ", Records.Select(r => r.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture)))}";
}
