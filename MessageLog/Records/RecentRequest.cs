namespace ExchangeGateway.MessageLog.Records;

/// <summary>A request seen recently, to warm the replay cache at start-up.</summary>
/// <param name="ClientId">The client's canonical identifier.</param>
/// <param name="MessageId">The request's message id.</param>
/// <param name="At">When it was handled.</param>
public readonly record struct RecentRequest(string ClientId, string MessageId, DateTimeOffset At);
