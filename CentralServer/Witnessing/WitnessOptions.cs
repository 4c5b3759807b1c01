using System.ComponentModel.DataAnnotations;

namespace ExchangeGateway.CentralServer.Witnessing;

/// <summary>How checkpoints are witnessed (section <c>CentralServer:Witness</c>).</summary>
public sealed class WitnessOptions
{
    /// <summary>The configuration section name.</summary>
    public const string Section = "CentralServer:Witness";

    /// <summary>
    /// Requests one client address may send to <c>/witness/v1</c> per minute; beyond that 429. Each security
    /// server sends two per witnessing interval (5 minutes by default), so this is generous for servers behind
    /// one address and still bounds the signature checks the public endpoint does.
    /// </summary>
    [Range(1, 100_000)]
    public int RequestsPerMinutePerAddress { get; set; } = 600;
}
