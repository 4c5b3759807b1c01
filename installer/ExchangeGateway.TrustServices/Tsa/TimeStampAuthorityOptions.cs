namespace ExchangeGateway.TrustServices.Tsa;

/// <summary>Settings of the development TSA.</summary>
public sealed record TimeStampAuthorityOptions
{
    /// <summary>
    /// The dev TSA policy: a UUID-based OID (ITU-T X.667, arc 2.25), so no registered arc is borrowed.
    /// </summary>
    public const string DevelopmentPolicyOid = "2.25.23674697193182636894206054225895365568";

    /// <summary>The policy every token is issued under (RFC 3161 §2.4.2 <c>policy</c>).</summary>
    public string PolicyOid { get; init; } = DevelopmentPolicyOid;

    /// <summary>The stated accuracy of genTime (§2.4.2 <c>accuracy</c>); default 1 s, <see cref="TimeSpan.Zero"/> to omit.</summary>
    public TimeSpan Accuracy { get; init; } = TimeSpan.FromSeconds(1);
}
