namespace ExchangeGateway.CentralServer.Audit;

/// <summary>One audit record: who did what to which target, when, and how it ended.</summary>
/// <param name="Sequence">Position in the log, strictly increasing.</param>
/// <param name="At">When it was recorded (UTC).</param>
/// <param name="ActorKeyId">The API key id; null for local commands.</param>
/// <param name="ActorName">The key's name or the command's.</param>
/// <param name="Action">What was attempted, e.g. <c>member.create</c>.</param>
/// <param name="Target">What it was attempted on, e.g. a canonical identifier.</param>
/// <param name="Outcome"><c>success</c>, or the failure code.</param>
/// <param name="Detail">The failure message, if any; never a secret.</param>
/// <param name="RegistryVersion">The registry version a successful registry change produced.</param>
public sealed record AuditEntry(
    long Sequence,
    DateTimeOffset At,
    string? ActorKeyId,
    string ActorName,
    string Action,
    string Target,
    string Outcome,
    string? Detail,
    long? RegistryVersion)
{
    /// <summary>The outcome text of a successful action.</summary>
    public const string Success = "success";
}
