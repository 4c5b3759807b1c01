using System.Diagnostics.CodeAnalysis;
using ExchangeGateway.Common.Errors;

namespace ExchangeGateway.SecurityServer.Registry;

/// <summary>The outcome of <see cref="IsAuthorization.Check"/>: allowed, or a failure with a message naming the client and the reason.</summary>
public sealed record IsAuthorizationResult
{
    private IsAuthorizationResult(IsAuthorizationFailure? failure, string? message)
    {
        Failure = failure;
        Message = message;
    }

    /// <summary>The allowed outcome.</summary>
    public static IsAuthorizationResult Allowed { get; } = new(null, null);

    /// <summary>True when the information system may act for the client.</summary>
    [MemberNotNullWhen(false, nameof(Failure), nameof(Message))]
    public bool IsAllowed => Failure is null;

    /// <summary>Why not; null when allowed.</summary>
    public IsAuthorizationFailure? Failure { get; }

    /// <summary>A message for the caller in X-Road's words, e.g. "Client (…) specifies HTTPS but did not supply TLS certificate"; null when allowed.</summary>
    public string? Message { get; }

    /// <summary>
    /// The error for every failure: <c>server.clientproxy.ssl_authentication_failed</c>, X-Road's code
    /// (<c>Server.ClientProxy.SslAuthenticationFailed</c>) for the same checks, so integrators' tools keep
    /// working. X-Road raises it in the client proxy's family although the calling system is at fault.
    /// </summary>
    public static ErrorCode ErrorCode { get; } = ErrorCode.ClientProxy(ErrorCatalog.SslAuthenticationFailed);

    /// <summary>A failure.</summary>
    public static IsAuthorizationResult Fail(IsAuthorizationFailure failure, string message)
    {
        ArgumentException.ThrowIfNullOrEmpty(message);
        return new(failure, message);
    }
}
