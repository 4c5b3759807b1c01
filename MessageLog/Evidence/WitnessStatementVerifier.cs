using System.Security.Cryptography.X509Certificates;
using ExchangeGateway.Common.Crypto.Cms;
using ExchangeGateway.Common.Crypto.X509;
using ExchangeGateway.Common.Results;

namespace ExchangeGateway.MessageLog.Evidence;

/// <summary>
/// Checks a Central Server witness statement: it parses, and its detached CMS signature verifies with one of
/// the configuration-signing certificates a configuration anchor pins, valid at the statement's
/// <see cref="WitnessStatement.WitnessedAt"/>, with the ESS signing-certificate attribute the Central Server
/// always adds. The same check serves the security server (on each answer) and auditors (offline).
/// Stateless.
/// </summary>
public static class WitnessStatementVerifier
{
    /// <summary>Verifies <paramref name="signature"/> over <paramref name="statement"/> and returns the parsed statement.</summary>
    /// <param name="statement">The statement's canonical bytes.</param>
    /// <param name="signature">The Central Server's detached CMS over them.</param>
    /// <param name="anchorCertificates">The pinned configuration-signing certificates (<c>ConfigurationAnchor.LoadCertificates</c>).</param>
    /// <returns>The statement, or <see cref="TrustFailure.Malformed"/> when it does not parse, or why the signature is refused.</returns>
    public static VerificationResult<WitnessStatement> Verify(ReadOnlySpan<byte> statement, ReadOnlySpan<byte> signature, IReadOnlyList<X509Certificate2> anchorCertificates)
    {
        ArgumentNullException.ThrowIfNull(anchorCertificates);
        var parsed = WitnessStatement.Parse(statement);
        if (!parsed.Success)
        {
            return VerificationResult<WitnessStatement>.Fail(TrustFailure.Malformed, parsed.Message!);
        }

        if (anchorCertificates.Count == 0)
        {
            return VerificationResult<WitnessStatement>.Fail(TrustFailure.UntrustedCertificate, "no configuration-signing certificate is pinned");
        }

        // The anchor pins the signing certificates themselves: each is its own trust anchor, as for configuration.
        var verifier = new CmsSignatureVerifier(new CertificateValidator(anchorCertificates));
        var verified = verifier.Verify(signature, statement, parsed.Value!.WitnessedAt, CertificatePurpose.Signing, anchorCertificates, requireSigningCertificateAttribute: true);
        return verified.IsValid
            ? VerificationResult<WitnessStatement>.Ok(parsed.Value)
            : VerificationResult<WitnessStatement>.Fail(verified.Failure!.Value, $"witness statement signature: {verified.Message}");
    }
}
