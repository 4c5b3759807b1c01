using ExchangeGateway.Common.Errors;

namespace ExchangeGateway.SecurityServer.Registry;

/// <summary>The one mapping from an <see cref="AccessDecision"/> to the error the caller receives.</summary>
public static class AccessDecisionCodes
{
    /// <summary>
    /// The error code for a refusal: <c>server.serverproxy.unknown_service</c>, <c>.service_disabled</c> or
    /// <c>.access_denied</c> (X-Road's codes, raised on the provider's side), and <c>client.bad_request</c>
    /// (HTTP 400) for an invalid path, which is the calling system's fault. Throws for <see cref="AccessDecision.Allowed"/>.
    /// </summary>
    public static ErrorCode ToErrorCode(this AccessDecision decision) => decision switch
    {
        AccessDecision.UnknownService => ErrorCode.ServerProxy(ErrorCatalog.UnknownService),
        AccessDecision.ServiceDisabled => ErrorCode.ServerProxy(ErrorCatalog.ServiceDisabled),
        AccessDecision.AccessDenied => ErrorCode.ServerProxy(ErrorCatalog.AccessDenied),
        AccessDecision.InvalidPath => ErrorCode.Client(ErrorCatalog.BadRequest),
        _ => throw new ArgumentOutOfRangeException(nameof(decision), decision, "Only refusals have an error code."),
    };
}
