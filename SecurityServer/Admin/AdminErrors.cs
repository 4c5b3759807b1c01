namespace ExchangeGateway.SecurityServer.Admin;

/// <summary>The one place that maps an <see cref="AdminFailureKind"/> to its stable code and HTTP status.</summary>
public static class AdminErrors
{
    /// <summary>The stable code for <paramref name="kind"/>.</summary>
    public static string Code(AdminFailureKind kind) => kind switch
    {
        AdminFailureKind.NotFound => "registry.not_found",
        AdminFailureKind.InUse => "registry.in_use",
        AdminFailureKind.NotInitialised => "registry.not_initialised",
        AdminFailureKind.InvalidRequest => "request.invalid",
        AdminFailureKind.InvalidIdentifier => "client.invalid_identifier",
        AdminFailureKind.TooLarge => "request.too_large",
        AdminFailureKind.UnsupportedMediaType => "request.unsupported_media_type",
        AdminFailureKind.Unauthenticated => "auth.unauthenticated",
        AdminFailureKind.Forbidden => "auth.forbidden",
        AdminFailureKind.LoopbackOnly => "auth.loopback_only",
        AdminFailureKind.WriteFailed => "registry.write_failed",
        AdminFailureKind.DescriptionInvalid => "description.invalid",
        AdminFailureKind.DescriptionFetchFailed => "description.fetch_failed",
        AdminFailureKind.Conflict => "registry.conflict",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>The HTTP status for <paramref name="kind"/>.</summary>
    public static int Status(AdminFailureKind kind) => kind switch
    {
        AdminFailureKind.NotFound => StatusCodes.Status404NotFound,
        AdminFailureKind.InUse or AdminFailureKind.NotInitialised => StatusCodes.Status409Conflict,
        AdminFailureKind.InvalidRequest or AdminFailureKind.InvalidIdentifier => StatusCodes.Status400BadRequest,
        AdminFailureKind.TooLarge => StatusCodes.Status413PayloadTooLarge,
        AdminFailureKind.UnsupportedMediaType => StatusCodes.Status415UnsupportedMediaType,
        AdminFailureKind.Unauthenticated => StatusCodes.Status401Unauthorized,
        AdminFailureKind.Forbidden or AdminFailureKind.LoopbackOnly => StatusCodes.Status403Forbidden,
        AdminFailureKind.WriteFailed => StatusCodes.Status500InternalServerError,
        AdminFailureKind.DescriptionInvalid => StatusCodes.Status422UnprocessableEntity,
        AdminFailureKind.DescriptionFetchFailed => StatusCodes.Status502BadGateway,
        AdminFailureKind.Conflict => StatusCodes.Status409Conflict,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
