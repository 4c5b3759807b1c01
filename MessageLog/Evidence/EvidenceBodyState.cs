namespace ExchangeGateway.MessageLog.Evidence;

/// <summary>What became of a record's body, as the bundle states it (<c>bodyState</c>).</summary>
public enum EvidenceBodyState
{
    /// <summary><c>present</c>: the body is in the bundle and must hash to the record's digest.</summary>
    Present,

    /// <summary><c>not-logged</c>: body logging was off for the service; only the digest was ever kept.</summary>
    NotLogged,

    /// <summary><c>erased</c>: body retention removed it; the digest and the leaf stay.</summary>
    Erased,
}
