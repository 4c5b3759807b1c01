using ExchangeGateway.Common.Results;

namespace ExchangeGateway.Config.Client;

/// <summary>
/// What the configuration client knows about its own health, for <c>/health/ready</c> and the admin
/// API. Immutable; <see cref="ConfigurationClient.Status"/> hands out a new one after every change.
/// </summary>
public sealed record ConfigurationStatus
{
    /// <summary>The held serial; null before any configuration was accepted.</summary>
    public long? Serial { get; init; }

    /// <summary>The held configuration's generatedAt.</summary>
    public DateTimeOffset? GeneratedAt { get; init; }

    /// <summary>The held configuration's expiresAt; after it consumers fail closed.</summary>
    public DateTimeOffset? ValidUntil { get; init; }

    /// <summary>When a download last verified (including one that brought nothing new).</summary>
    public DateTimeOffset? LastSuccess { get; init; }

    /// <summary>When a download was last attempted.</summary>
    public DateTimeOffset? LastAttempt { get; init; }

    /// <summary>Why the last attempt failed; null after a success.</summary>
    public string? LastError { get; init; }

    /// <summary>The last attempt's failure reason; null after a success.</summary>
    public TrustFailure? LastFailure { get; init; }

    /// <summary>Attempts that failed since the last success (drives the back-off).</summary>
    public int ConsecutiveFailures { get; init; }

    /// <summary>All download attempts so far.</summary>
    public long Attempts { get; init; }

    /// <summary>When the background loop will try next; null when it is not running.</summary>
    public DateTimeOffset? NextAttemptAt { get; init; }

    /// <summary>True when no configuration is held or the held one has expired: consumers must refuse (<c>outdated_global_conf</c>).</summary>
    public bool IsOutdated(DateTimeOffset now) => ValidUntil is not { } until || now > until;
}
