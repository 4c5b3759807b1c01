using System.Security.Cryptography.X509Certificates;
using ExchangeGateway.Common.Crypto.Cms;
using ExchangeGateway.Common.Crypto.X509;
using ExchangeGateway.Common.Results;
using ExchangeGateway.Config.Anchors;
using ExchangeGateway.Config.Model;
using ExchangeGateway.Config.Serialization;
using ExchangeGateway.Config.Signing;

namespace ExchangeGateway.Config.Verification;

/// <summary>
/// Decides whether a downloaded configuration may replace the held one. In order: size, signature
/// (detached CMS over the exact content bytes, by a certificate pinned in the anchor and valid now),
/// strict parse, instance, time window, and serial against the held one. Each rejection has its own
/// <see cref="TrustFailure"/>: <see cref="TrustFailure.DocumentTooLarge"/>, <see cref="TrustFailure.Malformed"/>,
/// <see cref="TrustFailure.SignatureInvalid"/> / <see cref="TrustFailure.DigestMismatch"/> (bad signature),
/// <see cref="TrustFailure.UntrustedCertificate"/> (signer not in the anchor),
/// <see cref="TrustFailure.GlobalConfigurationWrongInstance"/>, <see cref="TrustFailure.GlobalConfigurationExpired"/>,
/// <see cref="TrustFailure.GlobalConfigurationNotYetValid"/>, <see cref="TrustFailure.GlobalConfigurationRollback"/>,
/// <see cref="TrustFailure.GlobalConfigurationSerialConflict"/>. Thread-safe.
/// </summary>
public sealed class ConfigurationVerifier
{
    private readonly ConfigurationVerifierOptions _options;
    private volatile AnchorTrust? _trust;

    /// <summary>Creates a verifier.</summary>
    public ConfigurationVerifier(ConfigurationVerifierOptions? options = null)
    {
        _options = options ?? new ConfigurationVerifierOptions();
    }

    /// <summary>Verifies <paramref name="signed"/> against <paramref name="anchor"/> and the held state at <paramref name="now"/>.</summary>
    /// <param name="signed">The downloaded content and signature.</param>
    /// <param name="anchor">The trust anchor: instance and pinned signing certificates (either of two during a rotation).</param>
    /// <param name="held">The configuration held now, for rollback detection; null when none is held.</param>
    /// <param name="now">The current time, from the caller's TimeProvider.</param>
    public VerificationResult<GlobalConfiguration> Verify(SignedConfiguration signed, ConfigurationAnchor anchor, HeldConfiguration? held, DateTimeOffset now) =>
        Verify(signed, anchor, held, now, checkExpiry: true);

    /// <summary>
    /// Verifies a configuration kept as evidence, as it was when published: the signature by a certificate
    /// of <paramref name="anchor"/> valid at the configuration's own generation time, the strict parse and
    /// the instance. Neither expiry nor a held serial is checked: the question is whether the Central
    /// Server published these bytes, not whether they are current.
    /// </summary>
    public VerificationResult<GlobalConfiguration> VerifyAsPublished(SignedConfiguration signed, ConfigurationAnchor anchor)
    {
        ArgumentNullException.ThrowIfNull(signed);
        ArgumentNullException.ThrowIfNull(anchor);

        // The generation time is read before the signature is checked only to know when the signer's
        // certificate must have been valid; nothing read is believed until the signature verifies below.
        var parsed = GlobalConfigurationSerializer.Read(signed.Content, _options.MaxContentBytes);
        return parsed.Success
            ? Verify(signed, anchor, held: null, parsed.Value.GeneratedAt, checkExpiry: false)
            : Fail(signed.Content.Length > _options.MaxContentBytes ? TrustFailure.DocumentTooLarge : TrustFailure.Malformed, parsed.Message);
    }

    internal VerificationResult<GlobalConfiguration> Verify(SignedConfiguration signed, ConfigurationAnchor anchor, HeldConfiguration? held, DateTimeOffset now, bool checkExpiry)
    {
        ArgumentNullException.ThrowIfNull(signed);
        ArgumentNullException.ThrowIfNull(anchor);
        if (signed.Content.Length > _options.MaxContentBytes)
        {
            return Fail(TrustFailure.DocumentTooLarge, $"the configuration is {signed.Content.Length} bytes, more than the limit of {_options.MaxContentBytes}");
        }

        if (signed.Signature.Length > SignedConfigurationEnvelope.MaxSignatureBytes)
        {
            return Fail(TrustFailure.DocumentTooLarge, $"the signature is longer than {SignedConfigurationEnvelope.MaxSignatureBytes} bytes");
        }

        // Authenticate before reading: nothing unsigned is parsed beyond the CMS structure.
        var trust = TrustFor(anchor);
        var signature = trust.Verifier.Verify(signed.Signature.Span, signed.Content.Span, now, CertificatePurpose.Signing, trust.Certificates, requireSigningCertificateAttribute: true);
        if (!signature.IsValid)
        {
            return Fail(signature.Failure.Value, $"configuration signature: {signature.Message}");
        }

        // Pinned means the signer is one of the anchor's certificates, not merely issued by one.
        var signerDer = signature.Value.Signer.RawData;
        if (!trust.Certificates.Any(c => c.RawData.AsSpan().SequenceEqual(signerDer)))
        {
            return Fail(TrustFailure.UntrustedCertificate, $"the configuration is signed by '{signature.Value.Signer.Subject}', which is not a certificate of the anchor");
        }

        var parsed = GlobalConfigurationSerializer.Read(signed.Content, _options.MaxContentBytes);
        if (!parsed.Success)
        {
            return Fail(TrustFailure.Malformed, parsed.Message);
        }

        var configuration = parsed.Value;
        if (!string.Equals(configuration.InstanceId, anchor.InstanceId, StringComparison.Ordinal))
        {
            return Fail(TrustFailure.GlobalConfigurationWrongInstance, $"the configuration is of instance '{configuration.InstanceId}', the anchor of '{anchor.InstanceId}'");
        }

        if (checkExpiry && configuration.IsExpired(now))
        {
            return Fail(TrustFailure.GlobalConfigurationExpired, $"serial {configuration.Serial} expired at {StrictJson.FormatTime(configuration.ExpiresAt)}");
        }

        if (configuration.GeneratedAt > now + _options.ClockSkew)
        {
            return Fail(TrustFailure.GlobalConfigurationNotYetValid, $"serial {configuration.Serial} was generated at {StrictJson.FormatTime(configuration.GeneratedAt)}, in the future");
        }

        if (held is not null)
        {
            if (configuration.Serial < held.Serial)
            {
                return Fail(TrustFailure.GlobalConfigurationRollback, $"serial {configuration.Serial} is older than the held serial {held.Serial}");
            }

            if (configuration.Serial == held.Serial && !signed.Content.Span.SequenceEqual(held.Content.Span))
            {
                return Fail(TrustFailure.GlobalConfigurationSerialConflict, $"serial {configuration.Serial} is held with different content");
            }
        }

        return VerificationResult<GlobalConfiguration>.Ok(configuration);
    }

    private AnchorTrust TrustFor(ConfigurationAnchor anchor)
    {
        var trust = _trust;
        if (trust is not null && ReferenceEquals(trust.Anchor, anchor))
        {
            return trust;
        }

        var certificates = anchor.LoadCertificates();
        trust = new AnchorTrust(anchor, certificates, new CmsSignatureVerifier(new CertificateValidator(certificates, clockSkew: _options.ClockSkew)));
        _trust = trust;
        return trust;
    }

    private static VerificationResult<GlobalConfiguration> Fail(TrustFailure failure, string message) =>
        VerificationResult<GlobalConfiguration>.Fail(failure, message);

    private sealed record AnchorTrust(ConfigurationAnchor Anchor, X509Certificate2[] Certificates, CmsSignatureVerifier Verifier);
}
