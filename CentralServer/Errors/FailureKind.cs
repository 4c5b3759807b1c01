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

    /// <summary>A management request is malformed (<c>management.invalid_request</c>, 400).</summary>
    ManagementInvalidRequest,

    /// <summary>The owner's signature is invalid or its certificate does not chain to an approved CA (<c>management.invalid_signature</c>, 400).</summary>
    ManagementInvalidSignature,

    /// <summary>The signing certificate names another member than the server's owner (<c>management.wrong_owner</c>, 400).</summary>
    ManagementWrongOwner,

    /// <summary>The authentication certificate is not approved, or its key did not sign the request (<c>management.invalid_proof_of_possession</c>, 400).</summary>
    ManagementInvalidProofOfPossession,

    /// <summary>The request's creation time is too far from now (<c>management.stale_request</c>, 400).</summary>
    ManagementStaleRequest,

    /// <summary>A request with the same request id was already received (<c>management.duplicate_request</c>, 409).</summary>
    ManagementDuplicateRequest,

    /// <summary>A witnessed checkpoint submission is malformed, names another server, or starts from another size than the last witnessed one (<c>witness.invalid_checkpoint</c>, 400).</summary>
    WitnessInvalidCheckpoint,

    /// <summary>The checkpoint's signature or time-stamp does not verify, or the signer is not the server's owner (<c>witness.invalid_signature</c>, 400).</summary>
    WitnessInvalidSignature,

    /// <summary>The checkpoint is for a security server that is not registered (<c>witness.unknown_server</c>, 400).</summary>
    WitnessUnknownServer,

    /// <summary>The checkpoint is smaller than the one last witnessed for the server (<c>witness.rollback</c>, 409).</summary>
    WitnessRollback,

    /// <summary>The consistency proof from the last witnessed checkpoint does not verify: the log was rewritten (<c>witness.inconsistent</c>, 409).</summary>
    WitnessInconsistent,

    /// <summary>Nothing was witnessed for the server yet (<c>witness.none</c>, 404).</summary>
    WitnessNone,
}
