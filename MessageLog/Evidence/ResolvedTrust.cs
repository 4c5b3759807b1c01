using System.Security.Cryptography.X509Certificates;
using ExchangeGateway.Common.Crypto.Batch;
using ExchangeGateway.Common.Crypto.Cms;
using ExchangeGateway.Common.Crypto.Ocsp;
using ExchangeGateway.Common.Crypto.TimeStamping;
using ExchangeGateway.Common.Identifiers;
using ExchangeGateway.Common.Results;
using ExchangeGateway.Config.Anchors;
using ExchangeGateway.Config.Model;
using ExchangeGateway.Config.Trust;

namespace ExchangeGateway.MessageLog.Evidence;

/// <summary>
/// Trust material an auditor may rely on, resolved by <see cref="EvidenceTrustVerifier"/> from a bundle's
/// <see cref="EvidenceTrust"/>: the global configuration whose signature verified to the anchor, and the
/// verifiers its approved CAs and TSAs imply, decided by the same <see cref="ConfigurationTrust"/> the
/// security server's proxies use.
/// </summary>
public sealed class ResolvedTrust
{
    private readonly ConfigurationTrust _trust;

    /// <summary>Resolves the trust of a verified configuration.</summary>
    /// <param name="configuration">The configuration, verified to <paramref name="anchor"/>.</param>
    /// <param name="anchor">The anchor it verified to.</param>
    /// <param name="anchorSha256">SHA-256 of the anchor file, lower-case hex, for out-of-band comparison.</param>
    public ResolvedTrust(GlobalConfiguration configuration, ConfigurationAnchor anchor, string anchorSha256)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(anchor);
        ArgumentException.ThrowIfNullOrEmpty(anchorSha256);
        _trust = new ConfigurationTrust(configuration);
        Anchor = anchor;
        AnchorSha256 = anchorSha256;

        // One bundle is verified once: remembering batch roots would save nothing.
        Batch = _trust.Cms is null ? null : new BatchSignatureVerifier(_trust.Cms, cacheCapacity: 0);
    }

    /// <summary>The global configuration of the evidence, verified to <see cref="Anchor"/>.</summary>
    public GlobalConfiguration Configuration => _trust.Configuration;

    /// <summary>The anchor the configuration verified to.</summary>
    public ConfigurationAnchor Anchor { get; }

    /// <summary>SHA-256 of the anchor file, lower-case hex.</summary>
    public string AnchorSha256 { get; }

    /// <summary>The CMS verifier over the approved CAs; null when the configuration approves none.</summary>
    public CmsSignatureVerifier? Cms => _trust.Cms;

    /// <summary>The batch-signature verifier over <see cref="Cms"/>; null when no CA is approved.</summary>
    public BatchSignatureVerifier? Batch { get; }

    /// <summary>The time-stamp trust over the approved TSAs (each trusted as listed); null when none is approved.</summary>
    public TimeStampTrust? TimeStamps => _trust.TimeStamps;

    /// <summary>The approved CA certificates, in configuration order.</summary>
    public IReadOnlyList<X509Certificate2> CaCertificates => _trust.CaCertificates;

    /// <summary>The approved TSA certificates, in configuration order.</summary>
    public IReadOnlyList<X509Certificate2> TsaCertificates => _trust.TsaCertificates;

    /// <summary>The member a signing certificate names, read with its approved CA's subject profile.</summary>
    public ParseResult<MemberId> MemberOf(X509Certificate2 certificate, IReadOnlyList<X509Certificate2> chain) =>
        _trust.MemberOf(certificate, chain);

    /// <summary>
    /// Verifies an OCSP response for <paramref name="chain"/>[0] at <paramref name="at"/> with the rules of its
    /// approved CA: signed by the CA, a configured or a delegated responder, for exactly that certificate,
    /// fresh within the configuration's limit, good.
    /// </summary>
    public VerificationResult<OcspStatus> CheckOcsp(ReadOnlySpan<byte> ocspDer, IReadOnlyList<X509Certificate2> chain, DateTimeOffset at) =>
        _trust.VerifyOcsp(ocspDer, chain, at);
}
