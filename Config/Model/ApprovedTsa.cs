using System.Security.Cryptography.X509Certificates;

namespace ExchangeGateway.Config.Model;

/// <summary>A time-stamping authority (RFC 3161) approved for the instance.</summary>
public sealed record ApprovedTsa
{
    /// <summary>Creates an approved TSA entry.</summary>
    public ApprovedTsa(string name, string url, ReadOnlyMemory<byte> certificate)
    {
        Name = name;
        Url = url;
        Certificate = certificate;
    }

    /// <summary>The TSA's unique display name.</summary>
    public string Name { get; init => field = value ?? throw new ArgumentNullException(nameof(Name)); }

    /// <summary>Absolute http(s) URL of the TSA.</summary>
    public string Url { get; init => field = value ?? throw new ArgumentNullException(nameof(Url)); }

    /// <summary>DER of the TSA's certificate.</summary>
    public ReadOnlyMemory<byte> Certificate { get; init => field = Frozen.Bytes(value); }

    /// <summary>Loads the TSA certificate; the caller owns (and disposes) the result.</summary>
    public X509Certificate2 LoadCertificate() => X509CertificateLoader.LoadCertificate(Certificate.Span);
}
