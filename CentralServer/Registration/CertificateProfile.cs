namespace ExchangeGateway.CentralServer.Registration;

/// <summary>
/// How a member's signing or authentication certificate issued by an approved CA names its owner: the
/// subject RDN attribute that holds each identifier part.
/// </summary>
/// <param name="MemberCodeRdn">Attribute holding the member code (default <c>CN</c>).</param>
/// <param name="MemberClassRdn">Attribute holding the member class (default <c>O</c>).</param>
/// <param name="InstanceRdn">Attribute holding the instance (default <c>C</c>).</param>
public sealed record CertificateProfile(string MemberCodeRdn, string MemberClassRdn, string InstanceRdn)
{
    /// <summary>CN = member code, O = member class, C = instance.</summary>
    public static CertificateProfile Default { get; } = new("CN", "O", "C");
}
