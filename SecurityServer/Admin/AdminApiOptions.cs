namespace ExchangeGateway.SecurityServer.Admin;

/// <summary>Settings of the admin API (section <c>SecurityServer:Admin</c>).</summary>
public sealed class AdminApiOptions
{
    /// <summary>The configuration section name.</summary>
    public const string Section = "SecurityServer:Admin";

    /// <summary>Requests per second each API key may send on average (token bucket refill rate; default 20).</summary>
    public double RateLimitPerSecond { get; set; } = 20;

    /// <summary>Requests an API key may send at once after a quiet period (token bucket size; default 60).</summary>
    public int RateLimitBurst { get; set; } = 60;
}
