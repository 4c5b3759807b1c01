using System.ComponentModel.DataAnnotations;

namespace ExchangeGateway.SecurityServer.Hosting;

/// <summary>Settings of a security server (section <c>SecurityServer</c>), validated at start-up.</summary>
public sealed class SecurityServerOptions
{
    /// <summary>The configuration section name.</summary>
    public const string Section = "SecurityServer";

    /// <summary>The configuration anchor file from the Central Server (compare its SHA-256 out of band).</summary>
    [Required]
    public string AnchorPath { get; set; } = string.Empty;

    /// <summary>Where the server keeps its state (the last good global configuration, later keys and logs).</summary>
    [Required]
    public string DataDirectory { get; set; } = ".xgw/security-server";

    /// <summary>The admin and health listener; loopback by default, never exposed to the internet.</summary>
    [Required]
    [Url]
    public string AdminUrl { get; set; } = "http://127.0.0.1:4000";
}
