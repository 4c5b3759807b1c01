using System.Security.Cryptography.X509Certificates;

namespace ExchangeGateway.Config.Model;

/// <summary>
/// A certification authority approved to issue members' signing and security servers' authentication
/// certificates. Its certificate is a trust anchor (a root, or a pinned issuing CA).
/// </summary>
public sealed record ApprovedCa
{
    /// <summary>Creates an approved CA entry.</summary>
    /// <param name="name">A unique display name.</param>
    /// <param name="certificate">DER of the CA certificate.</param>
    /// <param name="ocspResponders">Its OCSP responders, in order of preference.</param>
    /// <param name="profile">How subjects of the certificates it issues name members.</param>
    public ApprovedCa(string name, ReadOnlyMemory<byte> certificate, IEnumerable<OcspResponderInfo> ocspResponders, CertificateSubjectProfile profile)
    {
        Name = name;
        Certificate = certificate;
        OcspResponders = Frozen.List(ocspResponders, nameof(ocspResponders));
        Profile = profile;
    }

    /// <summary>The CA's unique display name.</summary>
    public string Name { get; init => field = value ?? throw new ArgumentNullException(nameof(Name)); }

    /// <summary>DER of the CA certificate.</summary>
    public ReadOnlyMemory<byte> Certificate { get; init => field = Frozen.Bytes(value); }

    /// <summary>OCSP responders in order of preference (this order is kept in the canonical form).</summary>
    public IReadOnlyList<OcspResponderInfo> OcspResponders { get; init => field = Frozen.List(value, nameof(OcspResponders)); }

    /// <summary>How the subjects of certificates issued by this CA map to members.</summary>
    public CertificateSubjectProfile Profile { get; init => field = value ?? throw new ArgumentNullException(nameof(Profile)); }

    /// <summary>Loads the CA certificate; the caller owns (and disposes) the result.</summary>
    public X509Certificate2 LoadCertificate() => X509CertificateLoader.LoadCertificate(Certificate.Span);
}
