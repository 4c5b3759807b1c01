using ExchangeGateway.Config.Management;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ExchangeGateway.CentralServer.Errors;
using ExchangeGateway.CentralServer.Registration;
using ExchangeGateway.Common.Crypto.Cms;
using ExchangeGateway.Common.Crypto.X509;
using Microsoft.Extensions.Options;

namespace ExchangeGateway.CentralServer.Management;

/// <summary>
/// Checks a received management request, in this order, each failure with its own code:
/// the envelope and request parse (<c>management.invalid_request</c>); <c>createdAt</c> lies within
/// <see cref="ManagementOptions.MaxClockDifference"/> of now (<c>management.stale_request</c>); the owner's
/// signature verifies with a signing certificate chaining to an approved CA (<c>management.invalid_signature</c>);
/// that CA's profile maps the certificate's subject to the server's owner, or for an owner change to the new
/// owner (<c>management.wrong_owner</c>);
/// for an auth-cert registration the authentication certificate chains to an approved CA for
/// authentication and made the <c>authSignature</c> itself (<c>management.invalid_proof_of_possession</c>).
/// Stateless apart from reading the approved CAs; duplicates are decided where requests are stored.
/// </summary>
internal sealed class ManagementRequestVerifier
{
    private readonly Registry _registry;
    private readonly TimeProvider _time;
    private readonly ManagementOptions _options;

    public ManagementRequestVerifier(Registry registry, TimeProvider time, IOptions<ManagementOptions> options)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(options);
        _registry = registry;
        _time = time;
        _options = options.Value;
    }

    internal Result<VerifiedManagementRequest> Verify(ManagementEnvelope envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        var request = Base64(envelope.Request, "request");
        var ownerSignature = Base64(envelope.OwnerSignature, "ownerSignature");
        var authSignature = envelope.AuthSignature is null ? Result<byte[]>.Ok([]) : Base64(envelope.AuthSignature, "authSignature");
        if (!request.Success || !ownerSignature.Success || !authSignature.Success)
        {
            return (request.Failure ?? ownerSignature.Failure ?? authSignature.Failure)!;
        }

        var requestBytes = request.Value!;
        var ownerBytes = ownerSignature.Value!;
        var authBytes = authSignature.Value!;
        var parsed = ManagementRequestParser.Parse(requestBytes, _registry.InstanceId);
        if (!parsed.Success)
        {
            return parsed.Failure;
        }

        var content = parsed.Value!;
        var isAuthRegistration = content.Type == ManagementRequestType.AuthCertRegistration;
        if (!isAuthRegistration && envelope.AuthSignature is not null)
        {
            return new Failure(FailureKind.ManagementInvalidRequest, "authSignature belongs to auth-cert-registration requests only.");
        }

        var now = _time.GetUtcNow();
        if ((content.CreatedAt - now).Duration() > _options.MaxClockDifference)
        {
            return new Failure(FailureKind.ManagementStaleRequest, $"createdAt is more than {_options.MaxClockDifference} away from the Central Server's clock.");
        }

        using var trust = ApprovedCaTrust.Create(_registry.Read(r => r.CertificationAuthorities()));
        if (trust is null)
        {
            return new Failure(FailureKind.ManagementInvalidSignature, "No certification authority is approved; no signature can be trusted.");
        }

        var owner = trust.VerifyMemberSignature(ownerBytes, requestBytes, now, _registry.InstanceId, "The owner signature");
        if (!owner.Success)
        {
            return owner.Failure;
        }

        var (signer, member) = owner.Value;

        // An owner change is the new owner's wish, so the new owner signs it; everything else the current owner.
        var expected = content.Type == ManagementRequestType.OwnerChange ? content.NewOwner! : content.ServerId.Owner;
        if (member is null || member != expected)
        {
            return new Failure(FailureKind.ManagementWrongOwner, content.Type == ManagementRequestType.OwnerChange
                ? $"The signing certificate does not name {expected}, the new owner requested for {content.ServerId}."
                : $"The signing certificate does not name {expected}, the owner of {content.ServerId}.");
        }

        if (isAuthRegistration && CheckProofOfPossession(trust.Validator, trust.Verifier, content.AuthCertificate!, authBytes, requestBytes, now) is { } noProof)
        {
            return noProof;
        }

        return new VerifiedManagementRequest(content, signer.Subject, requestBytes, ownerBytes, isAuthRegistration ? authBytes : null);
    }

    // Proof of possession: the authentication key itself signed these bytes, so nobody registers a
    // certificate whose key they do not hold (another server's, copied from a TLS handshake).
    private static Failure? CheckProofOfPossession(CertificateValidator validator, CmsSignatureVerifier verifier, byte[] certificateDer, byte[] signature, byte[] request, DateTimeOffset now)
    {
        if (signature.Length == 0)
        {
            return NoProof("An auth-cert-registration needs authSignature, made with the authentication key.");
        }

        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadCertificate(certificateDer);
        }
        catch (CryptographicException)
        {
            return NoProof("authCertificate is not a DER certificate.");
        }

        using (certificate)
        {
            var chain = validator.Validate(certificate, CertificatePurpose.Authentication, now);
            if (!chain.IsValid)
            {
                return NoProof($"The authentication certificate is not valid for authentication under an approved CA: {chain.Message}");
            }

            var proof = verifier.Verify(signature, request, now, CertificatePurpose.Authentication, [certificate]);
            if (!proof.IsValid)
            {
                return NoProof($"authSignature does not verify: {proof.Message}");
            }

            return proof.Value!.Signer.RawDataMemory.Span.SequenceEqual(certificate.RawDataMemory.Span)
                ? null
                : NoProof("authSignature was made by another certificate than the one being registered.");
        }
    }

    private static Failure NoProof(string message) => new(FailureKind.ManagementInvalidProofOfPossession, message);

    private static Result<byte[]> Base64(string text, string field)
    {
        var buffer = new byte[text.Length];
        return Convert.TryFromBase64String(text, buffer, out var written) && written > 0
            ? buffer[..written]
            : new Failure(FailureKind.ManagementInvalidRequest, $"{field} must be non-empty base64.");
    }
}
