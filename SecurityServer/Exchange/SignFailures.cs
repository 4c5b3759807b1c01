using ExchangeGateway.Common.Errors;
using ExchangeGateway.Signer.Signing;

namespace ExchangeGateway.SecurityServer.Exchange;

/// <summary>The X-Road error a failed signature becomes, the same on both proxies.</summary>
internal static class SignFailures
{
    /// <summary>
    /// <c>token_not_active</c> for a logged-out or locked-out token, <c>cert_validation</c> for a signing
    /// certificate whose OCSP status is not good (revoked, unknown or stale), <c>cannot_create_signature</c> otherwise.
    /// </summary>
    public static ErrorCatalogEntry EntryOf(SignFailure? failure) => failure switch
    {
        SignFailure.TokenNotActive => ErrorCatalog.TokenNotActive,
        SignFailure.OcspNotGood => ErrorCatalog.CertValidation,
        _ => ErrorCatalog.CannotCreateSignature,
    };
}
