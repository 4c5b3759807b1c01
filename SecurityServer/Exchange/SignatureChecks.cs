using ExchangeGateway.Common.Crypto.Batch;
using ExchangeGateway.Common.Crypto.X509;
using ExchangeGateway.Common.Errors;
using ExchangeGateway.Common.Exchange;
using ExchangeGateway.Common.Identifiers;

namespace ExchangeGateway.SecurityServer.Exchange;

/// <summary>
/// The one check of a signed head, shared by both proxies: the batch signature verifies over the
/// head's signing digest with a certificate that chains to an approved CA for signing, the stapled
/// OCSP response says good, and the certificate names the member the message claims to come from.
/// </summary>
public static class SignatureChecks
{
    /// <summary>Null when the signature is good and <paramref name="expectedMember"/>'s; otherwise the failure in <paramref name="family"/>.</summary>
    public static ExchangeFailure? Verify(TrustContext trust, EnvelopePrefix prefix, MemberId expectedMember, DateTimeOffset now, ErrorFamily family)
    {
        ArgumentNullException.ThrowIfNull(trust);
        ArgumentNullException.ThrowIfNull(prefix);
        ArgumentNullException.ThrowIfNull(expectedMember);
        if (trust.Batch is null)
        {
            return Fail(family, ErrorCatalog.CertValidation, "No certification authority is approved in the global configuration.");
        }

        var decoded = BatchSignatureEncoding.TryDecode(prefix.Signature);
        if (!decoded.Success)
        {
            return Fail(family, ErrorCatalog.MalformedSignature, $"The signature cannot be decoded: {decoded.Message}");
        }

        var verified = trust.Batch.Verify(RequestHash.SigningDigest(prefix.Head), decoded.Value!, now, CertificatePurpose.Signing);
        if (!verified.IsValid)
        {
            return Fail(family, ErrorCatalog.InvalidSignatureValue, $"The signature does not verify: {verified.Message}");
        }

        var info = verified.Value!;
        var member = trust.MemberOf(info.Signer, info.Chain);
        if (!member.Success || member.Value != expectedMember)
        {
            return Fail(family, ErrorCatalog.SignatureVerification, $"The message was signed by {(member.Success ? member.Value!.ToString() : "an unknown member")}, not by {expectedMember}.");
        }

        var ocsp = trust.CheckOcsp(prefix.SigningOcsp, [.. info.Chain], now);
        return ocsp.IsValid ? null : Fail(family, ErrorCatalog.CertValidation, $"The signing certificate has no good OCSP status: {ocsp.Message}");
    }

    private static ExchangeFailure Fail(ErrorFamily family, ErrorCatalogEntry entry, string message) => new(ErrorCode.Create(family, entry), message);
}
