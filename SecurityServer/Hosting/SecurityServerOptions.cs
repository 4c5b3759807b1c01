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

    /// <summary>Where the server keeps its state: keys, serverconf.json, the message log, the last good global configuration.</summary>
    [Required]
    public string DataDirectory { get; set; } = ".xgw/security-server";

    /// <summary>The admin and health listener; loopback by default, never exposed to the internet.</summary>
    [Required]
    [Url]
    public string AdminUrl { get; set; } = "http://127.0.0.1:4000";

    /// <summary>The client proxy for local information systems, plain HTTP.</summary>
    [Required]
    public string ClientProxyUrl { get; set; } = "http://127.0.0.1:8080";

    /// <summary>The client proxy over HTTPS (IS client certificates); empty to disable.</summary>
    public string ClientProxyTlsUrl { get; set; } = "https://127.0.0.1:8443";

    /// <summary>The server proxy: mutual TLS between security servers.</summary>
    [Required]
    public string ServerProxyUrl { get; set; } = "https://127.0.0.1:5500";

    /// <summary>The address registered with the Central Server; peers connect to <c>https://{PublicAddress}</c>.</summary>
    public string PublicAddress { get; set; } = "127.0.0.1:5500";

    /// <summary>
    /// A file holding the token PIN (mode 0600, owned by the service account): when set, the server logs the
    /// token in at start (X-Road's autologin). Unset, an operator logs in through the admin API after each start.
    /// </summary>
    public string? TokenPinFile { get; set; }

    /// <summary>Send the registration requests this server's configuration implies, and repeat until the global configuration shows them.</summary>
    public bool AutoRegister { get; set; }

    /// <summary>The largest message body, both directions and both framings.</summary>
    [Range(1, 1L << 30)]
    public long MaxBodyBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>How long a message id stays reserved for its client (replay window).</summary>
    public TimeSpan ReplayWindow { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Connect timeout towards other security servers (TLS handshake included).</summary>
    public TimeSpan PeerConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The longest a whole exchange with another security server may take.</summary>
    public TimeSpan PeerTimeout { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>How often the message log publishes a checkpoint when it grew.</summary>
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How often the newest time-stamped checkpoint is shown to the Central Server's witness (beside the management
    /// service of the global configuration) and its statement stored; 1 second to 1 day.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan WitnessInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How often the integrity monitor re-verifies the newest part of the message log (and a further slice of the
    /// rest; see <see cref="Auditing.IntegrityMonitor"/>). At least 100 ms.
    /// </summary>
    public TimeSpan IntegrityCheckInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>SQLite synchronous mode of the message log: <c>Full</c> (fsync per group commit) or <c>Normal</c> (survives process crashes, not power loss).</summary>
    public string MessageLogSynchronous { get; set; } = "Full";

    /// <summary>Archives and retention of the message log (section <c>SecurityServer:MessageLog</c>).</summary>
    public MessageLogSettings MessageLog { get; set; } = new();
}
