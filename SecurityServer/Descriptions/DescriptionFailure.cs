namespace ExchangeGateway.SecurityServer.Descriptions;

/// <summary>An expected failure of a <see cref="ServiceDescriptions"/> operation.</summary>
/// <param name="Kind">What went wrong.</param>
/// <param name="Message">Why, for the administrator.</param>
public sealed record DescriptionFailure(DescriptionFailureKind Kind, string Message);
