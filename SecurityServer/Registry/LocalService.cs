using System.Collections.Immutable;

namespace ExchangeGateway.SecurityServer.Registry;

/// <summary>
/// A service a local client offers, as in <c>serverconf.json</c>: where the provider information system
/// listens, how long to wait for it, whether it is on, which operations it lists and who may call it.
/// Validated as a whole by <see cref="LocalConfiguration.TryCreate"/>.
/// </summary>
public sealed record LocalService
{
    /// <summary>Default connect timeout, in milliseconds.</summary>
    public const int DefaultConnectTimeoutMs = 5_000;

    /// <summary>Default read timeout, in milliseconds.</summary>
    public const int DefaultReadTimeoutMs = 30_000;

    /// <summary>Default total timeout, in milliseconds.</summary>
    public const int DefaultTotalTimeoutMs = 60_000;

    /// <summary>The service code, unique per client, e.g. <c>patient-summary</c>.</summary>
    public required string Code { get; init; }

    /// <summary>The protocol.</summary>
    public ServiceType Type { get; init; } = ServiceType.Rest;

    /// <summary>
    /// The SOAP <c>serviceVersion</c>, e.g. <c>v1</c>; null for none. REST services never have one. A call
    /// names the service by code and version, and both must match (<see cref="LocalConfiguration.FindService"/>).
    /// </summary>
    public string? Version { get; init; }

    /// <summary>The <see cref="ServiceDescription.Id"/> of the client's description this service was made from; null when configured by hand.</summary>
    public string? DescriptionId { get; init; }

    /// <summary>
    /// The provider's base URL exactly as configured (absolute http or https, no user info, query or
    /// fragment); the request's raw path and query are appended to it unchanged.
    /// </summary>
    public required string Url { get; init; }

    /// <summary>False to refuse calls with <c>service_disabled</c> while keeping the configuration.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>How long to wait for the TCP (and TLS) connection to the provider, in milliseconds.</summary>
    public int ConnectTimeoutMs { get; init; } = DefaultConnectTimeoutMs;

    /// <summary>The longest pause between bytes from the provider, in milliseconds.</summary>
    public int ReadTimeoutMs { get; init; } = DefaultReadTimeoutMs;

    /// <summary>The longest time for the whole provider call, in milliseconds.</summary>
    public int TotalTimeoutMs { get; init; } = DefaultTotalTimeoutMs;

    /// <summary>False to accept any TLS certificate from an https provider (development only).</summary>
    public bool VerifyTls { get; init; } = true;

    /// <summary>False to log only the heads and body digests of this service's messages, not the bodies.</summary>
    public bool LogBodies { get; init; } = true;

    /// <summary>The operations listed by the metaservices.</summary>
    public ImmutableArray<ServiceEndpoint> Endpoints { get; init; } = [];

    /// <summary>Who may call what; an empty list denies everyone.</summary>
    public ImmutableArray<AccessRight> AccessRights { get; init; } = [];

    /// <summary><see cref="ConnectTimeoutMs"/> as a span.</summary>
    public TimeSpan ConnectTimeout => TimeSpan.FromMilliseconds(ConnectTimeoutMs);

    /// <summary><see cref="ReadTimeoutMs"/> as a span.</summary>
    public TimeSpan ReadTimeout => TimeSpan.FromMilliseconds(ReadTimeoutMs);

    /// <summary><see cref="TotalTimeoutMs"/> as a span.</summary>
    public TimeSpan TotalTimeout => TimeSpan.FromMilliseconds(TotalTimeoutMs);
}
