using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ExchangeGateway.Config.Model;

namespace ExchangeGateway.Config.Anchors;

/// <summary>
/// Where a security server starts: the instance id, where to download the signed configuration, and
/// the configuration-signing certificates it trusts outright (pinned; two during a key rotation). Its
/// file form is <see cref="ConfigurationAnchorSerializer"/>; compare <see cref="Sha256Hex"/> with the
/// value the central authority publishes out of band before trusting a file.
/// </summary>
public sealed record ConfigurationAnchor
{
    /// <summary>Creates an anchor.</summary>
    /// <param name="instanceId">The instance, e.g. <c>EE</c>.</param>
    /// <param name="downloadUrls">Absolute http(s) URLs of the signed configuration, in order of preference.</param>
    /// <param name="certificates">DER of each pinned configuration-signing certificate.</param>
    public ConfigurationAnchor(string instanceId, IEnumerable<string> downloadUrls, IEnumerable<ReadOnlyMemory<byte>> certificates)
    {
        InstanceId = instanceId;
        DownloadUrls = Frozen.List(downloadUrls, nameof(downloadUrls));
        Certificates = Frozen.List(certificates, nameof(certificates));
    }

    /// <summary>The instance id.</summary>
    public string InstanceId { get; init => field = value ?? throw new ArgumentNullException(nameof(InstanceId)); }

    /// <summary>Download URLs, in order of preference (kept in this order in the file).</summary>
    public IReadOnlyList<string> DownloadUrls { get; init => field = Frozen.List(value, nameof(DownloadUrls)); }

    /// <summary>DER of the pinned configuration-signing certificates.</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> Certificates
    {
        get;
        init => field = Frozen.List((value ?? throw new ArgumentNullException(nameof(Certificates))).Select(Frozen.Bytes), nameof(Certificates));
    }

    /// <summary>Creates an anchor from certificates.</summary>
    public static ConfigurationAnchor Create(string instanceId, IEnumerable<string> downloadUrls, IEnumerable<X509Certificate2> certificates)
    {
        ArgumentNullException.ThrowIfNull(certificates);
        return new ConfigurationAnchor(instanceId, downloadUrls, certificates.Select(c => (ReadOnlyMemory<byte>)c.RawData));
    }

    /// <summary>Loads the pinned certificates; the caller owns (and disposes) them.</summary>
    public X509Certificate2[] LoadCertificates() =>
        [.. Certificates.Select(c => X509CertificateLoader.LoadCertificate(c.Span))];

    /// <summary>SHA-256 of the anchor file (its canonical bytes), as 64 uppercase hex digits, for out-of-band comparison.</summary>
    public string Sha256Hex() => ConfigurationAnchorSerializer.Sha256Hex(ConfigurationAnchorSerializer.Write(this));
}
