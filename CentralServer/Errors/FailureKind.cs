namespace ExchangeGateway.CentralServer.Errors;

/// <summary>
/// Every expected failure of the Central Server's admin side. Each kind maps to one stable code and one
/// HTTP status in <see cref="ErrorCatalog"/>; nothing else decides them.
/// </summary>
public enum FailureKind
{
    /// <summary>The addressed registry entry does not exist (<c>registry.not_found</c>, 404).</summary>
    NotFound,

    /// <summary>The entry already exists (<c>registry.conflict</c>, 409).</summary>
    Conflict,

    /// <summary>The entry is still referenced and cannot be deleted (<c>registry.in_use</c>, 409).</summary>
    InUse,

    /// <summary>The request names something that is not registered (<c>registry.invalid_reference</c>, 422).</summary>
    InvalidReference,

    /// <summary>The request is malformed or a field breaks its rules (<c>request.invalid</c>, 400).</summary>
    InvalidRequest,

    /// <summary>An identifier breaks the identifier rules (<c>client.invalid_identifier</c>, 400).</summary>
    InvalidIdentifier,

    /// <summary>The body is larger than allowed (<c>request.too_large</c>, 413).</summary>
    TooLarge,

    /// <summary>The body is not JSON (<c>request.unsupported_media_type</c>, 415).</summary>
    UnsupportedMediaType,

    /// <summary>No valid API key was presented (<c>auth.unauthenticated</c>, 401).</summary>
    Unauthenticated,

    /// <summary>The key's roles do not allow the operation (<c>auth.forbidden</c>, 403).</summary>
    Forbidden,

    /// <summary>Key management was attempted from a non-loopback address (<c>auth.loopback_only</c>, 403).</summary>
    LoopbackOnly,

    /// <summary>The key sent too many requests (<c>auth.rate_limited</c>, 429).</summary>
    RateLimited,

    /// <summary>A bug or an unavailable database (<c>server.internal_error</c>, 500).</summary>
    Internal,
}
