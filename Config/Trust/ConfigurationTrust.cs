using System.Security.Cryptography.X509Certificates;
using ExchangeGateway.Common.Crypto.Cms;
using ExchangeGateway.Common.Crypto.Ocsp;
using ExchangeGateway.Common.Crypto.TimeStamping;
using ExchangeGateway.Common.Crypto.X509;
using ExchangeGateway.Common.Identifiers;
using ExchangeGateway.Common.Results;
using ExchangeGateway.Config.Model;

namespace ExchangeGateway.Config.Trust;

/// <summary>
/// The trust decisions one global configuration implies, and nothing about live traffic: which CAs are
/// approved, who may answer OCSP for each, which member a certificate belongs to (the issuing CA's
/// subject profile), and the certificate, CMS and time-stamp trust built over the approved CAs and TSAs.
/// The security server's exchange context and the offline evidence verifier both decide through it, so
/// a signature the proxy accepted is judged by the same rules years later. Immutable and thread-safe.
/// </summary>
public sealed class ConfigurationTrust
{
    private readonly Dictionary<string, ApprovedCa> _casByThumbprint = new(StringComparer.Ordinal);
    private readonly Dictionary<string, OcspVerificationOptions> _ocspOptionsByCa = new(StringComparer.Ordinal);

    /// <summary>Builds the trust of <paramref name="configuration"/>.</summary>
    /// <param name="configuration">The verified global configuration.</param>
    /// <param name="certificates">Where certificates are parsed once and kept; a new cache when null.</param>
    /// <param name="clockSkew">How far ahead a notBefore (or a time-stamp) may lie; 5 minutes when null.</param>
    /// <exception cref="System.Security.Cryptography.CryptographicException">A certificate in the configuration does not parse (the configuration reader refuses those).</exception>
    public ConfigurationTrust(GlobalConfiguration configuration, CertificateCache? certificates = null, TimeSpan? clockSkew = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        Configuration = configuration;
        Certificates = certificates ?? new CertificateCache();
        var skew = clockSkew ?? TimeSpan.FromMinutes(5);
        var anchors = new List<X509Certificate2>();
        foreach (var ca in configuration.ApprovedCas)
        {
            var cert = Certificates.GetOrLoad(ca.Certificate.Span);
            anchors.Add(cert);
            _casByThumbprint[cert.Thumbprint] = ca;
            _ocspOptionsByCa[cert.Thumbprint] = new OcspVerificationOptions
            {
                FreshnessLimit = configuration.Settings.OcspFreshness,
                ClockSkew = skew,
                Certificates = Certificates,
                TrustedResponders = [.. ca.OcspResponders.Where(r => r.HasCertificate).Select(r => Certificates.GetOrLoad(r.Certificate.Span))],
            };
        }

        CaCertificates = anchors;
        if (anchors.Count > 0)
        {
            Validator = new CertificateValidator(anchors, clockSkew: skew);
            Cms = new CmsSignatureVerifier(Validator);
        }

        // An approved TSA is trusted as listed: its certificate is both the anchor and the one allowed signer.
        TsaCertificates = [.. configuration.ApprovedTsas.Select(t => Certificates.GetOrLoad(t.Certificate.Span))];
        if (TsaCertificates.Count > 0)
        {
            TimeStamps = new TimeStampTrust(new CertificateValidator(TsaCertificates, clockSkew: skew), TsaCertificates);
        }
    }

    /// <summary>The configuration this trust was built from.</summary>
    public GlobalConfiguration Configuration { get; }

    /// <summary>Where this trust's certificates are kept (shared: do not dispose them).</summary>
    public CertificateCache Certificates { get; }

    /// <summary>The approved CA certificates, in configuration order.</summary>
    public IReadOnlyList<X509Certificate2> CaCertificates { get; }

    /// <summary>The approved TSA certificates, in configuration order.</summary>
    public IReadOnlyList<X509Certificate2> TsaCertificates { get; }

    /// <summary>The validator over the approved CAs; null when none is approved (nothing can be trusted).</summary>
    public CertificateValidator? Validator { get; }

    /// <summary>The CMS verifier over <see cref="Validator"/>; null when no CA is approved.</summary>
    public CmsSignatureVerifier? Cms { get; }

    /// <summary>The time-stamp trust over the approved TSAs; null when none is approved.</summary>
    public TimeStampTrust? TimeStamps { get; }

    /// <summary>The approved CA a validated chain ends in (the first certificate of the chain that is one), or null.</summary>
    public ApprovedCa? FindApprovedCa(IReadOnlyList<X509Certificate2> chain)
    {
        ArgumentNullException.ThrowIfNull(chain);
        return chain.Select(c => _casByThumbprint.GetValueOrDefault(c.Thumbprint)).FirstOrDefault(c => c is not null);
    }

    /// <summary>The member a signing certificate names, read with its approved CA's certificate profile.</summary>
    /// <param name="certificate">The signer's certificate.</param>
    /// <param name="chain">Its validated chain (leaf first).</param>
    public ParseResult<MemberId> MemberOf(X509Certificate2 certificate, IReadOnlyList<X509Certificate2> chain)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var ca = FindApprovedCa(chain);
        return ca is null
            ? ParseResult<MemberId>.Fail("untrusted_root", "the certificate's CA is not approved")
            : ca.Profile.TryGetMember(certificate.SubjectName, Configuration.InstanceId);
    }

    /// <summary>
    /// The OCSP rules for a chain's CA: the configuration's freshness and the CA's configured responders.
    /// Null when no certificate of the chain is an approved CA.
    /// </summary>
    public OcspVerificationOptions? OcspOptionsFor(IReadOnlyList<X509Certificate2> chain)
    {
        ArgumentNullException.ThrowIfNull(chain);
        foreach (var c in chain)
        {
            if (_ocspOptionsByCa.TryGetValue(c.Thumbprint, out var options))
            {
                return options;
            }
        }

        return null;
    }

    /// <summary>
    /// Verifies an OCSP response for <paramref name="chain"/>[0] (issued by <paramref name="chain"/>[1], or by
    /// the anchor itself when the chain has one element) at <paramref name="at"/>: signed by the issuing CA,
    /// one of its configured responders or a responder it delegated to, for exactly that certificate, fresh
    /// within the configuration's limit, and good.
    /// </summary>
    /// <param name="ocspDer">DER OCSPResponse; empty fails as <see cref="TrustFailure.CertificateStatusUnknown"/>.</param>
    /// <param name="chain">The certificate's validated chain, leaf first.</param>
    /// <param name="at">When the status must have been good: now for a proxy, the evidence's time for an auditor.</param>
    public VerificationResult<OcspStatus> VerifyOcsp(ReadOnlySpan<byte> ocspDer, IReadOnlyList<X509Certificate2> chain, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(chain);
        if (chain.Count == 0)
        {
            return VerificationResult<OcspStatus>.Fail(TrustFailure.Malformed, "no certificate");
        }

        if (ocspDer.IsEmpty)
        {
            return VerificationResult<OcspStatus>.Fail(TrustFailure.CertificateStatusUnknown, "no OCSP response was stapled");
        }

        var options = OcspOptionsFor(chain);
        if (options is null)
        {
            return VerificationResult<OcspStatus>.Fail(TrustFailure.UntrustedCertificate, "the certificate's CA is not approved");
        }

        var leaf = chain[0];
        var issuer = chain.Count > 1 ? chain[1] : leaf;
        return OcspResponseVerifier.Verify(ocspDer.ToArray(), leaf, issuer, at, options);
    }
}
