using System.ComponentModel.DataAnnotations;

namespace ExchangeGateway.CentralServer.Publication;

/// <summary>How global configuration is generated and published (section <c>CentralServer:Publication</c>).</summary>
public sealed class PublicationOptions
{
    /// <summary>The configuration section name.</summary>
    public const string Section = "CentralServer:Publication";

    /// <summary>Where security servers download configuration; also the anchor's download URL base.</summary>
    [Required]
    [Url]
    public string ConfigurationUrl { get; set; } = "http://127.0.0.1:4180";

    /// <summary>A new generation at least this often, even without registry changes (keeps expiry ahead).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan GenerationInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long a generation stays valid; past it security servers fail closed.</summary>
    [Range(typeof(TimeSpan), "00:00:02", "7.00:00:00")]
    public TimeSpan Validity { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How fresh an OCSP response must be, published to every security server.</summary>
    public TimeSpan OcspFreshness { get; set; } = TimeSpan.FromMinutes(20);

    /// <summary>How often security servers time-stamp their log checkpoints.</summary>
    public TimeSpan TimeStampingInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a security server may run without a fresh time-stamp before refusing messages.</summary>
    public TimeSpan AcceptableTimeStampFailurePeriod { get; set; } = TimeSpan.FromHours(4);

    /// <summary>How often security servers should poll for configuration.</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The URL of the latest signed configuration.</summary>
    public string DownloadUrl => ConfigurationUrl.TrimEnd('/') + "/globalconf";

    /// <summary>Where management requests go (published in the configuration).</summary>
    public string ManagementServiceUrl => ConfigurationUrl.TrimEnd('/') + "/managementservice";
}
