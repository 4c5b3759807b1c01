namespace ExchangeGateway.SecurityServer.Admin;

/// <summary>The one place that maps an <see cref="AdminFailureKind"/>, or a Signer or onboarding code, to its stable code and HTTP status.</summary>
public static class AdminErrors
{
    /// <summary>The stable code for <paramref name="kind"/> (not for <see cref="AdminFailureKind.Delegated"/>, which carries its own).</summary>
    public static string Code(AdminFailureKind kind) => kind switch
    {
        AdminFailureKind.NotFound => "registry.not_found",
        AdminFailureKind.InUse => "registry.in_use",
        AdminFailureKind.NotInitialised => "registry.not_initialised",
        AdminFailureKind.InvalidRequest => "request.invalid",
        AdminFailureKind.InvalidIdentifier => "client.invalid_identifier",
        AdminFailureKind.TooLarge => "request.too_large",
        AdminFailureKind.UnsupportedMediaType => "request.unsupported_media_type",
        AdminFailureKind.Unauthenticated => "admin.unauthorized",
        AdminFailureKind.Forbidden => "admin.forbidden",
        AdminFailureKind.LoopbackOnly => "admin.loopback_only",
        AdminFailureKind.WriteFailed => "registry.write_failed",
        AdminFailureKind.DescriptionInvalid => "description.invalid",
        AdminFailureKind.DescriptionFetchFailed => "description.fetch_failed",
        AdminFailureKind.Conflict => "registry.conflict",
        AdminFailureKind.RateLimited => "admin.rate_limited",
        AdminFailureKind.AlreadyInitialised => "admin.already_initialised",
        AdminFailureKind.ServerNotInitialised => "admin.not_initialised",
        AdminFailureKind.Unavailable => "admin.unavailable",
        AdminFailureKind.AnchorInvalid => "anchor.invalid",
        AdminFailureKind.AnchorWrongInstance => "anchor.wrong_instance",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>The HTTP status for <paramref name="kind"/> (not for <see cref="AdminFailureKind.Delegated"/>).</summary>
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
        AdminFailureKind.RateLimited => StatusCodes.Status429TooManyRequests,
        AdminFailureKind.AlreadyInitialised or AdminFailureKind.ServerNotInitialised => StatusCodes.Status409Conflict,
        AdminFailureKind.Unavailable => StatusCodes.Status503ServiceUnavailable,
        AdminFailureKind.AnchorInvalid => StatusCodes.Status422UnprocessableEntity,
        AdminFailureKind.AnchorWrongInstance => StatusCodes.Status409Conflict,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>A message-log record or checkpoint that does not exist (404).</summary>
    public const string MessageLogNotFound = "messagelog.not_found";

    /// <summary>Message-log tree sizes that are missing, not positive or out of order (400).</summary>
    public const string MessageLogInvalidRange = "messagelog.invalid_range";

    /// <summary>A stored message log that contradicts itself; the verifier should be run (500).</summary>
    public const string MessageLogInconsistent = "messagelog.inconsistent";

    /// <summary>A record that no time-stamped checkpoint covers yet: its evidence can be fetched within seconds (409).</summary>
    public const string MessageLogNotYetCheckpointed = "messagelog.not_yet_checkpointed";

    /// <summary>A record search parameter that is unknown, repeated or malformed; the message names it (400).</summary>
    public const string MessageLogInvalidQuery = "messagelog.invalid_query";

    /// <summary>A retention pass that stopped before it finished (the signer, the disk or the database failed, or a record does not match its leaf); what it did before stays done (503).</summary>
    public const string MessageLogRetentionFailed = "messagelog.retention_failed";

    /// <summary>
    /// The HTTP status of a Signer (<c>signer.*</c>), onboarding (<c>onboarding.*</c>) or message-log proof (<c>messagelog.*</c>) code, per the contract's
    /// table; 500 for a code it does not know (a new code must be added here, not guessed).
    /// </summary>
    public static int DelegatedStatus(string code)
    {
        ArgumentNullException.ThrowIfNull(code);
        return code switch
        {
            "signer.token_not_initialised" or "signer.token_already_initialised" or "signer.token_not_active"
                or "signer.certificate_already_exists" or "signer.invalid_state" or "signer.key_in_use" => StatusCodes.Status409Conflict,
            "signer.pin_policy" or "signer.invalid_request" => StatusCodes.Status400BadRequest,
            "signer.wrong_pin" => StatusCodes.Status403Forbidden,
            "signer.token_locked_out" => StatusCodes.Status423Locked,
            "signer.certificate_matches_no_key" or "signer.certificate_wrong_usage" or "signer.certificate_invalid"
                or "signer.certificate_wrong_member" => StatusCodes.Status422UnprocessableEntity,
            _ when code.StartsWith("signer.", StringComparison.Ordinal) && code.EndsWith("_not_found", StringComparison.Ordinal) => StatusCodes.Status404NotFound,
            "onboarding.not_initialised" or "onboarding.token_not_active" or "onboarding.no_signing_certificate"
                or "onboarding.invalid_state" => StatusCodes.Status409Conflict,
            "onboarding.not_found" => StatusCodes.Status404NotFound,
            "onboarding.no_global_configuration" => StatusCodes.Status503ServiceUnavailable,
            "onboarding.central_server_unreachable" or "onboarding.central_server_rejected" => StatusCodes.Status502BadGateway,
            MessageLogNotFound => StatusCodes.Status404NotFound,
            MessageLogNotYetCheckpointed => StatusCodes.Status409Conflict,
            MessageLogInvalidRange or MessageLogInvalidQuery => StatusCodes.Status400BadRequest,
            MessageLogRetentionFailed => StatusCodes.Status503ServiceUnavailable,
            _ => StatusCodes.Status500InternalServerError,
        };
    }
}
