namespace ExchangeGateway.SecurityServer.Evidence;

/// <summary>What one witnessing pass did.</summary>
/// <param name="Code">Null when a statement was stored or there was nothing to do; else a <see cref="WitnessingCodes"/> code or the Central Server's refusal code.</param>
/// <param name="Message">What happened, for the operator.</param>
/// <param name="TreeSize">The checkpoint submitted, if one was.</param>
public sealed record WitnessingOutcome(string? Code, string Message, long? TreeSize)
{
    /// <summary>True when a new statement was stored.</summary>
    public bool Witnessed { get; init; }
}
