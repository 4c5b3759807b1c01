namespace ExchangeGateway.CentralServer.Registration;

/// <summary>A member class, e.g. <c>GOV</c>.</summary>
/// <param name="Code">The class code (identifier rules apply).</param>
/// <param name="Description">What the class is for.</param>
public sealed record MemberClass(string Code, string Description);
