using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;
using ExchangeGateway.Common.Identifiers;

namespace ExchangeGateway.Signer.Enrolment;

/// <summary>
/// The subjects the Signer asks for, in the CA's default <c>CertificateSubjectProfile</c> (C = instance,
/// O = member class, CN = member code), so that the Central Server's management-request check and the
/// server proxy map a certificate to its member. The attributes are built one by one, never by string
/// formatting: identifier parts may contain <c>,</c>, <c>+</c> and <c>=</c>, which would otherwise split or
/// add RDNs.
/// </summary>
public static class CertificateSubjects
{
    private const string CountryOid = "2.5.4.6";
    private const string OrganizationOid = "2.5.4.10";
    private const string OrganizationalUnitOid = "2.5.4.11";
    private const string CommonNameOid = "2.5.4.3";

    /// <summary>A member's signing certificate: <c>C=INSTANCE, O=CLASS, CN=CODE</c>.</summary>
    public static X500DistinguishedName Signing(MemberId member)
    {
        ArgumentNullException.ThrowIfNull(member);
        var builder = new X500DistinguishedNameBuilder();
        Add(builder, CountryOid, member.Instance);
        Add(builder, OrganizationOid, member.MemberClass);
        Add(builder, CommonNameOid, member.MemberCode);
        return builder.Build();
    }

    /// <summary>
    /// A security server's authentication certificate: <c>C=INSTANCE, O=CLASS, OU=SERVERCODE, CN=MEMBERCODE</c>
    /// (the test PKI's form). Under the default profile it names the owner, never another member: a
    /// server code in CN would read as the member with that code. Authentication certificates cannot
    /// sign messages anyway (their EKU is serverAuth/clientAuth only, which signing validation refuses).
    /// </summary>
    public static X500DistinguishedName Authentication(SecurityServerId server)
    {
        ArgumentNullException.ThrowIfNull(server);
        var builder = new X500DistinguishedNameBuilder();
        Add(builder, CountryOid, server.Owner.Instance);
        Add(builder, OrganizationOid, server.Owner.MemberClass);
        Add(builder, OrganizationalUnitOid, server.ServerCode);
        Add(builder, CommonNameOid, server.Owner.MemberCode);
        return builder.Build();
    }

    // Every identifier character (A-Z a-z 0-9 ' ( ) + , - . = ?) is a PrintableString character, and
    // countryName must be one (RFC 5280 Appendix A), so all attributes use it.
    private static void Add(X500DistinguishedNameBuilder builder, string oid, string value) =>
        builder.Add(oid, value, UniversalTagNumber.PrintableString);
}
