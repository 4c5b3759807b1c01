using System.ComponentModel.DataAnnotations;

namespace ExchangeGateway.CentralServer.Management;

/// <summary>How management requests are accepted (section <c>CentralServer:Management</c>).</summary>
public sealed class ManagementOptions
{
    /// <summary>The configuration section name.</summary>
    public const string Section = "CentralServer:Management";

    /// <summary>Approve every valid request on receipt, without a registration officer. Off by default.</summary>
    public bool AutoApprove { get; set; }

    /// <summary>How far a request's <c>createdAt</c> may lie from the Central Server's clock, either way.</summary>
    [Range(typeof(TimeSpan), "00:00:10", "01:00:00")]
    public TimeSpan MaxClockDifference { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Requests one client address may send to <c>/managementservice</c> per minute; beyond that 429.
    /// The endpoint is public and every request costs signature checks and an audit entry, so it is bounded.
    /// </summary>
    [Range(1, 100_000)]
    public int RequestsPerMinutePerAddress { get; set; } = 60;
}
