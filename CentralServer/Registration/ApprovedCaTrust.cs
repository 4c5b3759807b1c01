using System.Collections.Immutable;
using System.Security.Cryptography.X509Certificates;
using ExchangeGateway.CentralServer.Errors;
using ExchangeGateway.Common.Crypto.Cms;
using ExchangeGateway.Common.Crypto.X509;
using ExchangeGateway.Common.Identifiers;
using CertificateSubjectProfile = ExchangeGateway.Config.Model.CertificateSubjectProfile;

namespace ExchangeGateway.CentralServer.Registration;

/// <summary>
/// The approved CAs of the registry as trust anchors, and the one way the Central Server decides which member
/// signed something: a detached CMS signature that verifies with a signing certificate chaining to an approved
/// CA, read with that CA's certificate profile. Management requests and witnessed checkpoints both go through
/// <see cref="VerifyMemberSignature"/>. Holds loaded certificates: dispose after use.
/// </summary>
internal sealed class ApprovedCaTrust : IDisposable
{
    private readonly ImmutableArray<ApprovedCa> _cas;
    private readonly List<X509Certificate2> _anchors;

    private ApprovedCaTrust(ImmutableArray<ApprovedCa> cas)
    {
        _cas = cas;
        _anchors = [.. cas.Select(ca => X509CertificateLoader.LoadCertificate(ca.Certificate.AsSpan()))];
        Validator = new CertificateValidator(_anchors);
        Verifier = new CmsSignatureVerifier(Validator);
    }

    /// <summary>Validates chains to the approved CAs.</summary>
    public CertificateValidator Validator { get; }

    /// <summary>Verifies detached CMS signatures whose signers chain to the approved CAs.</summary>
    public CmsSignatureVerifier Verifier { get; }

    /// <summary>The trust over <paramref name="cas"/>; null when no CA is approved (then no signature can be trusted).</summary>
    public static ApprovedCaTrust? Create(ImmutableArray<ApprovedCa> cas) => cas.IsEmpty ? null : new ApprovedCaTrust(cas);

    /// <summary>
    /// Verifies <paramref name="signature"/> over <paramref name="content"/>: the signer's certificate must be
    /// valid for signing at <paramref name="at"/> under an approved CA. Returns the signer and the member its
    /// subject names under that CA's profile (null when the profile does not map it to a member of
    /// <paramref name="instanceId"/>). A failure says why, prefixed with <paramref name="what"/>
    /// (e.g. "The owner signature"), as a <see cref="FailureKind.ManagementInvalidSignature"/> for the caller to re-code.
    /// </summary>
    public Result<(X509Certificate2 Signer, MemberId? Member)> VerifyMemberSignature(
        ReadOnlySpan<byte> signature, ReadOnlySpan<byte> content, DateTimeOffset at, string instanceId, string what)
    {
        var verified = Verifier.Verify(signature, content, at, CertificatePurpose.Signing);
        if (!verified.IsValid)
        {
            return new Failure(FailureKind.ManagementInvalidSignature, $"{what} does not verify with a certificate of an approved CA: {verified.Message}");
        }

        var signer = verified.Value!.Signer;
        var issuingCa = IssuingCa(verified.Value.Chain);
        if (issuingCa is null)
        {
            return new Failure(FailureKind.ManagementInvalidSignature, $"{what}: the certificate chain does not end at an approved CA.");
        }

        var profile = new CertificateSubjectProfile(issuingCa.Profile.MemberClassRdn, issuingCa.Profile.MemberCodeRdn, issuingCa.Profile.InstanceRdn);
        var member = profile.TryGetMember(signer.SubjectName, instanceId);
        return (signer, member.Success ? member.Value : null);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var anchor in _anchors)
        {
            anchor.Dispose();
        }
    }

    private ApprovedCa? IssuingCa(IReadOnlyList<X509Certificate2> chain)
    {
        // The validated chain ends at the anchor that is an approved CA's certificate; its id is the SHA-256 of the DER.
        if (chain.Count == 0)
        {
            return null;
        }

        var anchorId = RegistryRules.Fingerprint(chain[^1].RawDataMemory.Span);
        return _cas.FirstOrDefault(ca => string.Equals(ca.Id, anchorId, StringComparison.Ordinal));
    }
}
