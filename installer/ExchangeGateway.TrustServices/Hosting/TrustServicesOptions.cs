using System.ComponentModel.DataAnnotations;

namespace ExchangeGateway.TrustServices.Hosting;

/// <summary>Settings of the dev trust services (section <c>TrustServices</c>).</summary>
public sealed class TrustServicesOptions
{
    /// <summary>The configuration section name.</summary>
    public const string Section = "TrustServices";

    /// <summary>Where keys, certificates and the CA database live; created on first start.</summary>
    [Required]
    public string DataDirectory { get; set; } = ".xgw/trust";

    /// <summary>The base URL others reach this host at; written into issued certificates as the OCSP location.</summary>
    [Required]
    [Url]
    public string PublicUrl { get; set; } = "http://127.0.0.1:4300";

    /// <summary>How long an OCSP response stays valid (its nextUpdate − thisUpdate).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan OcspValidity { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Lifetime of issued end-entity certificates.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "3650.00:00:00")]
    public TimeSpan CertificateValidity { get; set; } = TimeSpan.FromDays(365);

    /// <summary>Largest accepted request body (CSR, OCSP request, time-stamp query), in bytes.</summary>
    [Range(256, 1024 * 1024)]
    public int MaxRequestBytes { get; set; } = 16 * 1024;

    /// <summary>The OCSP endpoint URL derived from <see cref="PublicUrl"/>.</summary>
    public string OcspUrl => PublicUrl.TrimEnd('/') + "/ocsp";

    /// <summary>Where the issuing CA's certificate can be downloaded.</summary>
    public string CaIssuersUrl => PublicUrl.TrimEnd('/') + "/ca/intermediate.pem";
}
