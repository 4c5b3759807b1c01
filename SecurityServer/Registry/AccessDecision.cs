namespace ExchangeGateway.SecurityServer.Registry;

/// <summary>
/// The outcome of <see cref="AccessControl.Decide"/>. Only <see cref="Allowed"/> lets a request through;
/// <see cref="AccessDecisionCodes.ToErrorCode"/> maps every other value to its X-Road error code.
/// </summary>
public enum AccessDecision
{
    /// <summary>The caller holds a right that covers the method and path, and the service is enabled.</summary>
    Allowed,

    /// <summary>No local client offers this service with this code and version (REST services have no version).</summary>
    UnknownService,

    /// <summary>The caller may call the service, but it is switched off.</summary>
    ServiceDisabled,

    /// <summary>No access right covers the caller, the method and the path (default deny).</summary>
    AccessDenied,

    /// <summary>
    /// The raw path could be read differently by the provider than by the matcher: a dot segment (raw or
    /// encoded), an encoded <c>/</c> or <c>\</c>, NUL, a control character, a character outside RFC 3986,
    /// an empty inner segment or malformed percent-encoding.
    /// </summary>
    InvalidPath,
}
