namespace ExchangeGateway.MessageLog.Evidence;

/// <summary>
/// What became of a record's body, as an evidence bundle or a log export states it (<c>bodyState</c>, the texts
/// in <see cref="LogExportFormat"/>). The digest is in the leaf in every case.
/// </summary>
public enum EvidenceBodyState
{
    /// <summary><c>present</c>: the body is carried and must hash to the record's digest.</summary>
    Present = 1,

    /// <summary><c>not-logged</c>: body logging was off for the service; only the digest was ever kept.</summary>
    NotLogged,

    /// <summary><c>erased</c>: body retention removed it; the digest and the leaf stay.</summary>
    Erased,

    /// <summary><c>sealed</c>: the body is kept in an encrypted archive that the server which made the evidence cannot open; the digest and the leaf stay.</summary>
    Sealed,
}
