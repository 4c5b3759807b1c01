using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;
using ExchangeGateway.Common.Identifiers;
using ExchangeGateway.Config.Model;

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

    // The attributes a CertificateSubjectProfile may name, in the order they are written (country
    // first, common name last, as the default profile's subjects have always been).
    private static readonly (string Name, string Oid)[] ProfileAttributes =
    [
        ("C", CountryOid),
        ("ST", "2.5.4.8"),
        ("L", "2.5.4.7"),
        ("O", OrganizationOid),
        ("OU", OrganizationalUnitOid),
        ("SERIALNUMBER", "2.5.4.5"),
        ("CN", CommonNameOid),
    ];

    /// <summary>
    /// The subject a CA with <paramref name="profile"/> certifies for <paramref name="member"/>: each member
    /// part in the attribute the profile names for it (the instance only when the profile carries it).
    /// With <paramref name="serverCode"/> it is an authentication subject: the server code goes in
    /// <c>OU</c>, or in <c>SERIALNUMBER</c> when the profile uses <c>OU</c> for a member part (and is left
    /// out when it uses both). Under <see cref="CertificateSubjectProfile.Default"/> the results equal
    /// <see cref="Signing"/> and <see cref="Authentication"/>.
    /// </summary>
    /// <param name="profile">The issuing CA's subject profile.</param>
    /// <param name="member">The member (for an authentication certificate, the server's owner).</param>
    /// <param name="serverCode">The server code for an authentication certificate; null for a signing certificate.</param>
    /// <exception cref="ArgumentException">The profile names one attribute for two member parts (no subject could name the member).</exception>
    public static X500DistinguishedName ForProfile(CertificateSubjectProfile profile, MemberId member, string? serverCode)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(member);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        void Put(string attribute, string value, string part)
        {
            if (!values.TryAdd(attribute, value))
            {
                throw new ArgumentException($"The profile puts the {part} in {attribute}, which already carries another member part.", nameof(profile));
            }
        }

        if (profile.InstanceAttribute is { } instanceAttribute)
        {
            Put(instanceAttribute, member.Instance, "instance");
        }

        Put(profile.MemberClassAttribute, member.MemberClass, "member class");
        Put(profile.MemberCodeAttribute, member.MemberCode, "member code");
        if (serverCode is not null)
        {
            ArgumentException.ThrowIfNullOrEmpty(serverCode);
            if (!values.TryAdd("OU", serverCode))
            {
                values.TryAdd("SERIALNUMBER", serverCode);
            }
        }

        var builder = new X500DistinguishedNameBuilder();
        foreach (var (name, oid) in ProfileAttributes)
        {
            if (values.TryGetValue(name, out var value))
            {
                Add(builder, oid, value);
            }
        }

        return builder.Build();
    }

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
