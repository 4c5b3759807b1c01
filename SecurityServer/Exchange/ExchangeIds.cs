using ExchangeGateway.Common.Identifiers;

namespace ExchangeGateway.SecurityServer.Exchange;

/// <summary>The ids of one exchange, as both message log records of either side carry them, in either protocol.</summary>
/// <param name="Client">The calling client.</param>
/// <param name="Service">The service called.</param>
/// <param name="MessageId">The message id.</param>
/// <param name="RequestId">The request id.</param>
/// <param name="UserId">The end user, when given.</param>
public sealed record ExchangeIds(ClientId Client, ServiceId Service, string MessageId, Guid RequestId, string? UserId);
