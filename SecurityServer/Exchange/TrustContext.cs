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
using ExchangeGateway.Config.Trust;

namespace ExchangeGateway.SecurityServer.Exchange;

/// <summary>
/// The trust decisions one global configuration implies (<see cref="ConfigurationTrust"/>, shared with the
/// offline evidence verifier) with the proxies' caches on top: verified OCSP responses and TLS peers'
/// chains, and the batch-signature verifier's roots. It is immutable
/// and built once per configuration serial (<see cref="TrustContextProvider"/>), so every exchange sees
/// one consistent set and the verifiers' caches survive between exchanges.
/// </summary>
public sealed class TrustContext
{
    private const int MaxCachedOcsp = 20_000;
    private readonly ConfigurationTrust _trust;
    private readonly ConcurrentDictionary<(string Ocsp, string Certificate), DateTimeOffset> _goodOcsp = new();

    // A TLS peer's certificate object lives as long as its connection: remember its verdict per purpose so
    // each message on a pooled connection costs a lookup, not a key extraction and a chain walk.
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<X509Certificate2, ValidatedCertificate> _validatedPeers = [];

    /// <summary>Builds the context for <paramref name="configuration"/>.</summary>
    public TrustContext(GlobalConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        Configuration = configuration;
        _trust = new ConfigurationTrust(configuration);
        if (_trust.Cms is not null)
        {
            Batch = new BatchSignatureVerifier(_trust.Cms);
        }
    }

    /// <summary>The configuration this context was built from.</summary>
    public GlobalConfiguration Configuration { get; }

    /// <summary>The validator over the approved CAs; null when none is approved (nothing can be trusted).</summary>
    public CertificateValidator? Validator => _trust.Validator;

    /// <summary>The CMS verifier over <see cref="Validator"/>.</summary>
    public CmsSignatureVerifier? Cms => _trust.Cms;

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

        if (_validatedPeers.TryGetValue(certificate, out var known) && known.Purpose == purpose && at >= known.From && at <= known.Until)
        {
            return VerificationResult<X509Certificate2[]>.Ok(known.Chain);
        }

        var key = CryptoPolicy.CheckPublicKey(certificate, "peer certificate");
        var result = key.IsValid ? Validator.Validate(certificate, purpose, at, extra) : VerificationResult<X509Certificate2[]>.From(key);
        if (result.IsValid)
        {
            var from = result.Value!.Max(c => new DateTimeOffset(c.NotBefore.ToUniversalTime(), TimeSpan.Zero)) - Validator.ClockSkew;
            var until = result.Value!.Min(c => new DateTimeOffset(c.NotAfter.ToUniversalTime(), TimeSpan.Zero));
            _validatedPeers.AddOrUpdate(certificate, new ValidatedCertificate(purpose, result.Value!, from, until));
        }

        return result;
    }

    private sealed record ValidatedCertificate(CertificatePurpose Purpose, X509Certificate2[] Chain, DateTimeOffset From, DateTimeOffset Until);

    /// <summary>
    /// Verifies a stapled OCSP response for <paramref name="chain"/>[0] (issued by <paramref name="chain"/>[1],
    /// or by the anchor itself when the chain has one element) and requires status good within the
    /// configuration's freshness. Verified responses are remembered until they grow stale.
    /// </summary>
    public VerificationResult CheckOcsp(ReadOnlySpan<byte> ocspDer, IReadOnlyList<X509Certificate2> chain, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(chain);
        if (chain.Count == 0 || ocspDer.IsEmpty)
        {
            return _trust.VerifyOcsp(ocspDer, chain, at).ToResult();
        }

        var key = (Convert.ToHexString(SHA256.HashData(ocspDer)), chain[0].Thumbprint);
        if (_goodOcsp.TryGetValue(key, out var goodUntil) && at <= goodUntil)
        {
            return VerificationResult.Ok;
        }

        var status = _trust.VerifyOcsp(ocspDer, chain, at);
        if (!status.IsValid)
        {
            return status.ToResult();
        }

        if (_goodOcsp.Count >= MaxCachedOcsp)
        {
            _goodOcsp.Clear();
        }

        _goodOcsp[key] = status.Value!.ThisUpdate + _trust.OcspOptionsFor(chain)!.FreshnessLimit;
        return VerificationResult.Ok;
    }

    /// <summary>The member a signing certificate names, read with its approved CA's certificate profile.</summary>
    public ParseResult<MemberId> MemberOf(X509Certificate2 certificate, IReadOnlyList<X509Certificate2> chain) =>
        _trust.MemberOf(certificate, chain);
}
