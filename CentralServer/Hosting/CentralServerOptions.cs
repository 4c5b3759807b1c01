using System.ComponentModel.DataAnnotations;
using ExchangeGateway.CentralServer.Registration;

namespace ExchangeGateway.CentralServer.Hosting;

/// <summary>Settings of the Central Server (section <c>CentralServer</c>), validated at start.</summary>
public sealed class CentralServerOptions : IValidatableObject
{
    /// <summary>The configuration section name.</summary>
    public const string Section = "CentralServer";

    /// <summary>The X-Road instance id, e.g. <c>EE</c>. Required; fixed when the database is created.</summary>
    [Required]
    public string InstanceId { get; set; } = string.Empty;

    /// <summary>Where the database lives; created on first start.</summary>
    [Required]
    public string DataDirectory { get; set; } = ".xgw/central";

    /// <summary>Where the admin API listens when no <c>urls</c> setting is given. Keep it on loopback.</summary>
    [Required]
    [Url]
    public string AdminUrl { get; set; } = "http://127.0.0.1:4100";

    /// <summary>Largest accepted admin request body, in bytes.</summary>
    [Range(1024, 1024 * 1024)]
    public int MaxRequestBytes { get; set; } = 64 * 1024;

    /// <summary>Requests per second each API key may make on average.</summary>
    [Range(1, 10_000)]
    public int RateLimitPerSecond { get; set; } = 20;

    /// <summary>Requests each API key may make in a burst.</summary>
    [Range(1, 10_000)]
    public int RateLimitBurst { get; set; } = 100;

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrEmpty(InstanceId) && RegistryRules.IdentifierPart(InstanceId, "xRoadInstance") is { } invalid)
        {
            yield return new ValidationResult($"{Section}:{nameof(InstanceId)} is not a valid instance id: {invalid.Message}", [nameof(InstanceId)]);
        }
    }
}
