namespace ExchangeGateway.SecurityServer.Onboarding;

/// <summary>A management request this server sent and the Central Server accepted (one line of <c>GET /management-requests</c>).</summary>
public sealed record SentManagementRequest
{
    /// <summary>The request id (lowercase UUID), the Central Server's id for it too.</summary>
    public required string Id { get; init; }

    /// <summary>The wire type, e.g. <c>client-registration</c>.</summary>
    public required string Type { get; init; }

    /// <summary>What it is about: a certificate id (SHA-256 hex), a client id, an address or the new owner.</summary>
    public required string Target { get; init; }

    /// <summary>When it was sent.</summary>
    public required DateTimeOffset SentAt { get; init; }

    /// <summary>The Central Server's state in its answer: <c>pending</c> or <c>approved</c>.</summary>
    public required string State { get; init; }

    /// <summary>When the global configuration first showed its result; null until then.</summary>
    public DateTimeOffset? AppliedAt { get; init; }
}
