namespace ExchangeGateway.CentralServer.Errors;

/// <summary>
/// The one place that maps a <see cref="FailureKind"/> to its stable code and HTTP status. Codes are
/// part of the admin API contract: clients match on them, so they never change meaning.
/// </summary>
public static class ErrorCatalog
{
    /// <summary>The stable code for <paramref name="kind"/>.</summary>
    public static string Code(FailureKind kind) => kind switch
    {
        FailureKind.NotFound => "registry.not_found",
        FailureKind.Conflict => "registry.conflict",
        FailureKind.InUse => "registry.in_use",
        FailureKind.InvalidReference => "registry.invalid_reference",
        FailureKind.InvalidRequest => "request.invalid",
        FailureKind.InvalidIdentifier => "client.invalid_identifier",
        FailureKind.TooLarge => "request.too_large",
        FailureKind.UnsupportedMediaType => "request.unsupported_media_type",
        FailureKind.Unauthenticated => "auth.unauthenticated",
        FailureKind.Forbidden => "auth.forbidden",
        FailureKind.LoopbackOnly => "auth.loopback_only",
        FailureKind.RateLimited => "auth.rate_limited",
        FailureKind.Internal => "server.internal_error",
        FailureKind.ManagementInvalidRequest => "management.invalid_request",
        FailureKind.ManagementInvalidSignature => "management.invalid_signature",
        FailureKind.ManagementWrongOwner => "management.wrong_owner",
        FailureKind.ManagementInvalidProofOfPossession => "management.invalid_proof_of_possession",
        FailureKind.ManagementStaleRequest => "management.stale_request",
        FailureKind.ManagementDuplicateRequest => "management.duplicate_request",
        FailureKind.WitnessInvalidCheckpoint => "witness.invalid_checkpoint",
        FailureKind.WitnessInvalidSignature => "witness.invalid_signature",
        FailureKind.WitnessUnknownServer => "witness.unknown_server",
        FailureKind.WitnessRollback => "witness.rollback",
        FailureKind.WitnessInconsistent => "witness.inconsistent",
        FailureKind.WitnessNone => "witness.none",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>The HTTP status for <paramref name="kind"/>.</summary>
    public static int Status(FailureKind kind) => kind switch
    {
        FailureKind.NotFound => StatusCodes.Status404NotFound,
        FailureKind.Conflict or FailureKind.InUse => StatusCodes.Status409Conflict,
        FailureKind.InvalidReference => StatusCodes.Status422UnprocessableEntity,
        FailureKind.InvalidRequest or FailureKind.InvalidIdentifier => StatusCodes.Status400BadRequest,
        FailureKind.TooLarge => StatusCodes.Status413PayloadTooLarge,
        FailureKind.UnsupportedMediaType => StatusCodes.Status415UnsupportedMediaType,
        FailureKind.Unauthenticated => StatusCodes.Status401Unauthorized,
        FailureKind.Forbidden or FailureKind.LoopbackOnly => StatusCodes.Status403Forbidden,
        FailureKind.RateLimited => StatusCodes.Status429TooManyRequests,
        FailureKind.Internal => StatusCodes.Status500InternalServerError,
        FailureKind.ManagementInvalidRequest or FailureKind.ManagementInvalidSignature or FailureKind.ManagementWrongOwner
            or FailureKind.ManagementInvalidProofOfPossession or FailureKind.ManagementStaleRequest => StatusCodes.Status400BadRequest,
        FailureKind.ManagementDuplicateRequest => StatusCodes.Status409Conflict,
        FailureKind.WitnessInvalidCheckpoint or FailureKind.WitnessInvalidSignature or FailureKind.WitnessUnknownServer => StatusCodes.Status400BadRequest,
        FailureKind.WitnessRollback or FailureKind.WitnessInconsistent => StatusCodes.Status409Conflict,
        FailureKind.WitnessNone => StatusCodes.Status404NotFound,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
