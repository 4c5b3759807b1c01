namespace ExchangeGateway.SecurityServer.Onboarding;

/// <summary>The stable codes of <see cref="OnboardingResult.Code"/> (ISSUE6-CONTRACTS.md, "Error codes"); the admin API maps them to HTTP.</summary>
public static class OnboardingErrors
{
    /// <summary>The server has no <c>serverconf.json</c> yet (409).</summary>
    public const string NotInitialised = "onboarding.not_initialised";

    /// <summary>The token is logged out or locked, so nothing can be signed (409).</summary>
    public const string TokenNotActive = "onboarding.token_not_active";

    /// <summary>The signer (the owner, or the new owner of an owner change) has no active, valid, registered signing certificate (409).</summary>
    public const string NoSigningCertificate = "onboarding.no_signing_certificate";

    /// <summary>The certificate or client is not in a state the request starts from (409).</summary>
    public const string InvalidState = "onboarding.invalid_state";

    /// <summary>No such authentication certificate in the token, or no such local client (404).</summary>
    public const string NotFound = "onboarding.not_found";

    /// <summary>No valid global configuration, so the management service address is unknown (503).</summary>
    public const string NoGlobalConfiguration = "onboarding.no_global_configuration";

    /// <summary>The Central Server could not be reached or did not answer in time (502).</summary>
    public const string CentralServerUnreachable = "onboarding.central_server_unreachable";

    /// <summary>The Central Server refused the request; the message starts with its code (502).</summary>
    public const string CentralServerRejected = "onboarding.central_server_rejected";
}
