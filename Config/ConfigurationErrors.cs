using ExchangeGateway.Common.Errors;

namespace ExchangeGateway.Config;

/// <summary>The stable error codes this library puts into <see cref="Common.Results.ParseResult{T}"/> failures.</summary>
public static class ConfigurationErrors
{
    /// <summary><c>server.malformed_global_conf</c>: a global configuration, envelope or anchor cannot be read.</summary>
    public static readonly string Malformed = ErrorCode.Server(ErrorCatalog.MalformedGlobalConf).Value;

    /// <summary><c>client.invalid_identifier</c>: an identifier breaks the identifier rules.</summary>
    public static readonly string InvalidIdentifier = ErrorCode.Client(ErrorCatalog.InvalidIdentifier).Value;
}
