namespace ExchangeGateway.SecurityServer.Admin;

/// <summary>
/// Every expected failure of the security server's admin API. Each maps to one stable code and one HTTP
/// status in <see cref="AdminErrors"/>; the codes match the Central Server's where the meaning is the same.
/// </summary>
public enum AdminFailureKind
{
    /// <summary>The addressed client, service or key does not exist (<c>registry.not_found</c>, 404).</summary>
    NotFound,

    /// <summary>The client still offers services and cannot be deleted (<c>registry.in_use</c>, 409).</summary>
    InUse,

    /// <summary>There is no <c>serverconf.json</c> yet (<c>registry.not_initialised</c>, 409).</summary>
    NotInitialised,

    /// <summary>The body or a field breaks its rules (<c>request.invalid</c>, 400).</summary>
    InvalidRequest,

    /// <summary>An identifier in the path breaks the identifier rules (<c>client.invalid_identifier</c>, 400).</summary>
    InvalidIdentifier,

    /// <summary>The body is larger than allowed (<c>request.too_large</c>, 413).</summary>
    TooLarge,

    /// <summary>The body is not JSON (<c>request.unsupported_media_type</c>, 415).</summary>
    UnsupportedMediaType,

    /// <summary>No valid API key was presented (<c>admin.unauthorized</c>, 401).</summary>
    Unauthenticated,

    /// <summary>The key's roles do not allow the operation (<c>admin.forbidden</c>, 403).</summary>
    Forbidden,

    /// <summary>Key management was attempted from a non-loopback address (<c>admin.loopback_only</c>, 403).</summary>
    LoopbackOnly,

    /// <summary>The configuration file could not be written; nothing changed (<c>registry.write_failed</c>, 500).</summary>
    WriteFailed,

    /// <summary>The description document is not a usable WSDL or OpenAPI 3 document (<c>description.invalid</c>, 422).</summary>
    DescriptionInvalid,

    /// <summary>The description document could not be fetched from its URL (<c>description.fetch_failed</c>, 502).</summary>
    DescriptionFetchFailed,

    /// <summary>The change clashes with something that exists, e.g. a service code taken by another service (<c>registry.conflict</c>, 409).</summary>
    Conflict,

    /// <summary>The API key sent more requests than its rate allows (<c>admin.rate_limited</c>, 429 with <c>Retry-After</c>).</summary>
    RateLimited,

    /// <summary>The server is initialised already (<c>admin.already_initialised</c>, 409).</summary>
    AlreadyInitialised,

    /// <summary>The operation needs an initialised server (<c>admin.not_initialised</c>, 409).</summary>
    ServerNotInitialised,

    /// <summary>A component the operation needs is not part of this server's host (<c>admin.unavailable</c>, 503).</summary>
    Unavailable,

    /// <summary>An uploaded anchor does not parse (<c>anchor.invalid</c>, 422).</summary>
    AnchorInvalid,

    /// <summary>An uploaded anchor is for another instance (<c>anchor.wrong_instance</c>, 409).</summary>
    AnchorWrongInstance,

    /// <summary>A failure decided by the Signer or onboarding, which carries its own code (<c>signer.*</c>, <c>onboarding.*</c>); see <see cref="AdminErrors.DelegatedStatus"/>.</summary>
    Delegated,
}
