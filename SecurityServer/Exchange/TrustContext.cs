using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ExchangeGateway.Common.Crypto;
using ExchangeGateway.Common.Crypto.Batch;
using ExchangeGateway.Common.Crypto.Cms;
using ExchangeGateway.Common.Crypto.Ocsp;
using ExchangeGateway.Common.Crypto.X509;
using ExchangeGateway.Common.Identifiers;
using ExchangeGateway.Common.Results;
using ExchangeGateway.Config.Model;

namespace ExchangeGateway.SecurityServer.Exchange;

/// <summary>
/// The trust decisions one global configuration implies: which CAs are approved, who may answer OCSP
/// for them, which member a certificate belongs to, and the verifiers built over them. It is immutable
/// and built once per configuration serial (<see cref="TrustContextProvider"/>), so every exchange sees
/// one consistent set and the verifiers' caches survive between exchanges.
/// </summary>
public sealed class TrustContext
{
    private const int MaxCachedOcsp = 20_000;
    private readonly Dictionary<string, ApprovedCa> _casByThumbprint;
    private readonly Dictionary<string, OcspVerificationOptions> _ocspOptionsByCa;
    private readonly ConcurrentDictionary<(string Ocsp, string Certificate), DateTimeOffset> _goodOcsp = new();

    /// <summary>Builds the context for <paramref name="configuration"/>.</summary>
    public TrustContext(GlobalConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        Configuration = configuration;
        var certificates = new CertificateCache();
        _casByThumbprint = new(StringComparer.Ordinal);
        _ocspOptionsByCa = new(StringComparer.Ordinal);
        var anchors = new List<X509Certificate2>();
        foreach (var ca in configuration.ApprovedCas)
        {
            var cert = certificates.GetOrLoad(ca.Certificate.Span);
            anchors.Add(cert);
            _casByThumbprint[cert.Thumbprint] = ca;
            _ocspOptionsByCa[cert.Thumbprint] = new OcspVerificationOptions
            {
                FreshnessLimit = configuration.Settings.OcspFreshness,
                Certificates = certificates,
                TrustedResponders = [.. ca.OcspResponders.Where(r => r.HasCertificate).Select(r => certificates.GetOrLoad(r.Certificate.Span))],
            };
        }

        if (anchors.Count > 0)
        {
            Validator = new CertificateValidator(anchors);
            Cms = new CmsSignatureVerifier(Validator);
            Batch = new BatchSignatureVerifier(Cms);
        }
    }

    /// <summary>The configuration this context was built from.</summary>
    public GlobalConfiguration Configuration { get; }

    /// <summary>The validator over the approved CAs; null when none is approved (nothing can be trusted).</summary>
    public CertificateValidator? Validator { get; }

    /// <summary>The CMS verifier over <see cref="Validator"/>.</summary>
    public CmsSignatureVerifier? Cms { get; }

    /// <summary>The batch-signature verifier (caches verified batch roots).</summary>
    public BatchSignatureVerifier? Batch { get; }

    /// <summary>
    /// Checks a TLS peer or IS certificate's algorithms and its chain to an approved CA for
    /// <paramref name="purpose"/>; returns the chain (leaf first).
    /// </summary>
    public VerificationResult<X509Certificate2[]> ValidateCertificate(X509Certificate2 certificate, CertificatePurpose purpose, DateTimeOffset at, IEnumerable<X509Certificate2>? extra = null)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        if (Validator is null)
        {
            return VerificationResult<X509Certificate2[]>.Fail(TrustFailure.UntrustedCertificate, "no certification authority is approved in the global configuration");
        }

        var key = CryptoPolicy.CheckPublicKey(certificate, "peer certificate");
        return key.IsValid ? Validator.Validate(certificate, purpose, at, extra) : VerificationResult<X509Certificate2[]>.From(key);
    }

    /// <summary>
    /// Verifies a stapled OCSP response for <paramref name="chain"/>[0] (issued by <paramref name="chain"/>[1],
    /// or by the anchor itself when the chain has one element) and requires status good within the
    /// configuration's freshness. Verified responses are remembered until they grow stale.
    /// </summary>
    public VerificationResult CheckOcsp(ReadOnlySpan<byte> ocspDer, IReadOnlyList<X509Certificate2> chain, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(chain);
        if (chain.Count == 0)
        {
            return VerificationResult.Fail(TrustFailure.Malformed, "no certificate");
        }

        if (ocspDer.IsEmpty)
        {
            return VerificationResult.Fail(TrustFailure.CertificateStatusUnknown, "no OCSP response was stapled");
        }

        var leaf = chain[0];
        var issuer = chain.Count > 1 ? chain[1] : leaf;
        var key = (Convert.ToHexString(SHA256.HashData(ocspDer)), leaf.Thumbprint);
        if (_goodOcsp.TryGetValue(key, out var goodUntil) && at <= goodUntil)
        {
            return VerificationResult.Ok;
        }

        var options = FindOcspOptions(chain);
        if (options is null)
        {
            return VerificationResult.Fail(TrustFailure.UntrustedCertificate, "the certificate's CA is not approved");
        }

        var status = OcspResponseVerifier.Verify(ocspDer.ToArray(), leaf, issuer, at, options);
        if (!status.IsValid)
        {
            return status.ToResult();
        }

        if (_goodOcsp.Count >= MaxCachedOcsp)
        {
            _goodOcsp.Clear();
        }

        _goodOcsp[key] = status.Value!.ThisUpdate + options.FreshnessLimit;
        return VerificationResult.Ok;
    }

    /// <summary>The member a signing certificate names, read with its approved CA's certificate profile.</summary>
    public ParseResult<MemberId> MemberOf(X509Certificate2 certificate, IReadOnlyList<X509Certificate2> chain)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(chain);
        var ca = chain.Select(c => _casByThumbprint.GetValueOrDefault(c.Thumbprint)).FirstOrDefault(c => c is not null);
        return ca is null
            ? ParseResult<MemberId>.Fail("untrusted_root", "the certificate's CA is not approved")
            : ca.Profile.TryGetMember(certificate.SubjectName, Configuration.InstanceId);
    }

    private OcspVerificationOptions? FindOcspOptions(IReadOnlyList<X509Certificate2> chain)
    {
        foreach (var c in chain)
        {
            if (_ocspOptionsByCa.TryGetValue(c.Thumbprint, out var options))
            {
                return options;
            }
        }

        return null;
    }
}
