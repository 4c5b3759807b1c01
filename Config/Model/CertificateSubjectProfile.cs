using System.Security.Cryptography.X509Certificates;
using ExchangeGateway.Common.Identifiers;
using ExchangeGateway.Common.Results;

namespace ExchangeGateway.Config.Model;

/// <summary>
/// How the subject of a signing or authentication certificate issued by an approved CA names its
/// member. Each property is the short name of an RDN attribute (see <see cref="SupportedAttributes"/>);
/// the attribute must occur exactly once in the subject. Example (the default): <c>C=EE, O=GOV,
/// CN=70000001</c> is member <c>EE/GOV/70000001</c>. When <see cref="InstanceAttribute"/> is null the
/// instance is the configuration's own.
/// </summary>
public sealed record CertificateSubjectProfile
{
    private static readonly Dictionary<string, string> Oids = new(StringComparer.Ordinal)
    {
        ["C"] = "2.5.4.6",
        ["O"] = "2.5.4.10",
        ["OU"] = "2.5.4.11",
        ["CN"] = "2.5.4.3",
        ["SERIALNUMBER"] = "2.5.4.5",
        ["L"] = "2.5.4.7",
        ["ST"] = "2.5.4.8",
    };

    /// <summary>Creates a profile.</summary>
    public CertificateSubjectProfile(string memberClassAttribute, string memberCodeAttribute, string? instanceAttribute)
    {
        MemberClassAttribute = memberClassAttribute;
        MemberCodeAttribute = memberCodeAttribute;
        InstanceAttribute = instanceAttribute;
    }

    /// <summary>The profile used by the test PKI and the dev CA: <c>C</c> = instance, <c>O</c> = class, <c>CN</c> = code.</summary>
    public static CertificateSubjectProfile Default { get; } = new("O", "CN", "C");

    /// <summary>Attribute short names a profile may use: C, O, OU, CN, SERIALNUMBER, L, ST.</summary>
    public static IReadOnlyCollection<string> SupportedAttributes => Oids.Keys;

    /// <summary>The attribute carrying the member class, e.g. <c>O</c>.</summary>
    public string MemberClassAttribute { get; init => field = Require(value, nameof(MemberClassAttribute)); }

    /// <summary>The attribute carrying the member code, e.g. <c>CN</c>.</summary>
    public string MemberCodeAttribute { get; init => field = Require(value, nameof(MemberCodeAttribute)); }

    /// <summary>The attribute carrying the instance, e.g. <c>C</c>; null to use the configuration's instance.</summary>
    public string? InstanceAttribute { get; init => field = value is null ? null : Require(value, nameof(InstanceAttribute)); }

    /// <summary>
    /// Reads the member a certificate subject names. Fails when an attribute is missing, occurs more
    /// than once, or its value is not a valid identifier part.
    /// </summary>
    /// <param name="subject">The certificate's subject.</param>
    /// <param name="configurationInstance">The instance to use when <see cref="InstanceAttribute"/> is null.</param>
    public ParseResult<MemberId> TryGetMember(X500DistinguishedName subject, string configurationInstance)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(configurationInstance);
        var memberClass = Single(subject, MemberClassAttribute);
        var memberCode = Single(subject, MemberCodeAttribute);
        var instance = InstanceAttribute is null ? configurationInstance : Single(subject, InstanceAttribute);
        if (memberClass is null || memberCode is null || instance is null)
        {
            return ParseResult<MemberId>.Fail(ConfigurationErrors.InvalidIdentifier, "the certificate subject does not carry each member attribute of the CA's profile exactly once");
        }

        if (instance.Contains('/', StringComparison.Ordinal) || memberClass.Contains('/', StringComparison.Ordinal) || memberCode.Contains('/', StringComparison.Ordinal))
        {
            return ParseResult<MemberId>.Fail(ConfigurationErrors.InvalidIdentifier, "a member attribute of the certificate subject contains '/'");
        }

        return MemberId.TryParse($"{instance}/{memberClass}/{memberCode}");
    }

    internal static bool IsSupported(string attribute) => Oids.ContainsKey(attribute);

    private static string? Single(X500DistinguishedName subject, string attribute)
    {
        var oid = Oids[attribute];
        string? found = null;
        foreach (var rdn in subject.EnumerateRelativeDistinguishedNames())
        {
            if (rdn.HasMultipleElements)
            {
                // Multi-valued RDNs are legal but never used by our CAs; treat them as ambiguous.
                if (HasOid(rdn, oid))
                {
                    return null;
                }

                continue;
            }

            if (rdn.GetSingleElementType().Value == oid)
            {
                if (found is not null)
                {
                    return null;
                }

                found = rdn.GetSingleElementValue();
                if (found is null)
                {
                    return null;
                }
            }
        }

        return found;
    }

    private static bool HasOid(X500RelativeDistinguishedName rdn, string oid)
    {
        // RDN ::= SET OF AttributeTypeAndValue; read the types with AsnReader.
        var reader = new System.Formats.Asn1.AsnReader(rdn.RawData, System.Formats.Asn1.AsnEncodingRules.DER);
        var set = reader.ReadSetOf();
        while (set.HasData)
        {
            var atv = set.ReadSequence();
            if (atv.ReadObjectIdentifier() == oid)
            {
                return true;
            }

            atv.ReadEncodedValue();
        }

        return false;
    }

    private static string Require(string value, string name)
    {
        ArgumentNullException.ThrowIfNull(value, name);
        return IsSupported(value)
            ? value
            : throw new ArgumentException($"'{value}' is not a supported subject attribute; use one of {string.Join(", ", Oids.Keys)}.", name);
    }
}
