using ExchangeGateway.Common.Errors;

namespace ExchangeGateway.Signer;

/// <summary>The stable error codes this library puts into its result values.</summary>
public static class SignerErrors
{
    /// <summary><c>server.network_error</c>: the CA (or another trust service) could not be reached in time.</summary>
    public static readonly string CaUnavailable = ErrorCode.Server(ErrorCatalog.NetworkError).Value;

    /// <summary><c>server.http_error</c>: the CA answered, but refused the request.</summary>
    public static readonly string CaRejected = ErrorCode.Server(ErrorCatalog.HttpError).Value;

    /// <summary><c>server.incorrect_certificate</c>: the CA's certificate is not for our key, not valid for its purpose, or unreadable.</summary>
    public static readonly string InvalidCertificate = ErrorCode.Server(ErrorCatalog.IncorrectCertificate).Value;
}
