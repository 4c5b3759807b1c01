using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ExchangeGateway.Common.Results;

namespace ExchangeGateway.Common.Crypto.X509;

/// <summary>
/// Validates a certificate chain against explicit trust anchors, never the operating system's store
/// (the federation's trust comes from global configuration). On top of path building it enforces the
/// algorithm policy on every certificate, basic constraints on CAs, validity at a caller-given time
/// and the leaf's key usage for its purpose. Revocation is checked separately with OCSP.
/// Thread-safe; build one per set of anchors and reuse it: it remembers validated chains.
/// </summary>
/// <remarks>
/// Path building through <see cref="X509Chain"/> costs about 2 ms on Linux, which would dominate every
/// signature check. A chain that validated once stays valid for every instant inside all its
/// certificates' validity periods (the anchors are fixed and no other check depends on time), so the
/// result is remembered per leaf and purpose and reused inside that window. Failures are never remembered.
/// Chains returned from the cache are shared: callers must not dispose their certificates.
/// </remarks>
public sealed class CertificateValidator
{
    private const int MaxCachedChains = 10_000;
    private readonly ConcurrentDictionary<(string Leaf, CertificatePurpose Purpose), ValidatedChain> _validated = new();
    private readonly X509Certificate2Collection _anchors;
    private readonly X509Certificate2Collection _intermediates;
    private readonly HashSet<string> _anchorThumbprints;

    /// <summary>Creates a validator.</summary>
    /// <param name="trustAnchors">Certificates trusted outright: roots, or a pinned issuing CA (the path then ends there).</param>
    /// <param name="intermediates">Untrusted certificates that may be used to build paths.</param>
    /// <param name="clockSkew">How far in the future a notBefore may lie and still be accepted (a peer whose clock runs ahead). Expiry is not stretched.</param>
    public CertificateValidator(
        IEnumerable<X509Certificate2> trustAnchors,
        IEnumerable<X509Certificate2>? intermediates = null,
        TimeSpan? clockSkew = null)
    {
        ArgumentNullException.ThrowIfNull(trustAnchors);
        _anchors = [.. trustAnchors];
        if (_anchors.Count == 0)
        {
            throw new ArgumentException("At least one trust anchor is required.", nameof(trustAnchors));
        }

        _intermediates = [.. intermediates ?? []];
        _anchorThumbprints = new HashSet<string>(_anchors.Select(a => a.Thumbprint), StringComparer.Ordinal);
        ClockSkew = clockSkew ?? TimeSpan.FromMinutes(5);
    }

    /// <summary>The tolerance applied to notBefore.</summary>
    public TimeSpan ClockSkew { get; }

    /// <summary>The trust anchors.</summary>
    public IReadOnlyList<X509Certificate2> Anchors => [.. _anchors];

    /// <summary>
    /// Validates <paramref name="leaf"/> at <paramref name="at"/> for <paramref name="purpose"/>.
    /// On success returns the chain from the leaf to the anchor.
    /// </summary>
    public VerificationResult<X509Certificate2[]> Validate(
        X509Certificate2 leaf,
        CertificatePurpose purpose,
        DateTimeOffset at,
        IEnumerable<X509Certificate2>? extraCertificates = null)
    {
        ArgumentNullException.ThrowIfNull(leaf);
        var key = (Convert.ToHexString(leaf.GetCertHash(HashAlgorithmName.SHA256)), purpose);
        if (_validated.TryGetValue(key, out var cached) && at >= cached.ValidFrom && at <= cached.ValidTo)
        {
            return VerificationResult<X509Certificate2[]>.Ok(cached.Chain);
        }

        var result = Build(leaf, purpose, at, extraCertificates);
        if (result.IsValid)
        {
            if (_validated.Count >= MaxCachedChains)
            {
                // Bounded, and crude on purpose: a federation has far fewer live certificates than this.
                _validated.Clear();
            }

            var from = result.Value.Max(c => new DateTimeOffset(c.NotBefore.ToUniversalTime(), TimeSpan.Zero)) - ClockSkew;
            var to = result.Value.Min(c => new DateTimeOffset(c.NotAfter.ToUniversalTime(), TimeSpan.Zero));
            _validated[key] = new ValidatedChain(result.Value, from, to);
        }

        return result;
    }

    private VerificationResult<X509Certificate2[]> Build(
        X509Certificate2 leaf,
        CertificatePurpose purpose,
        DateTimeOffset at,
        IEnumerable<X509Certificate2>? extraCertificates)
    {

        using var chain = new X509Chain();
        var policy = chain.ChainPolicy;
        policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        policy.CustomTrustStore.AddRange(_anchors);
        policy.ExtraStore.AddRange(_intermediates);
        if (extraCertificates is not null)
        {
            foreach (var c in extraCertificates)
            {
                // A self-signed certificate can only end a path as an untrusted root; leaving it out lets
                // the path stop at a pinned issuing CA even when the sender also shipped its root.
                if (c.SubjectName.RawData.AsSpan().SequenceEqual(c.IssuerName.RawData) && !_anchorThumbprints.Contains(c.Thumbprint))
                {
                    continue;
                }

                policy.ExtraStore.Add(c);
            }
        }

        policy.RevocationMode = X509RevocationMode.NoCheck;
        policy.DisableCertificateDownloads = true;
        policy.VerificationTime = at.UtcDateTime;
        policy.VerificationTimeIgnored = false;

        // Times and usages are checked below, by us, so that each failure has its own code and the
        // clock-skew tolerance applies.
        policy.VerificationFlags = X509VerificationFlags.IgnoreNotTimeValid
            | X509VerificationFlags.IgnoreCtlNotTimeValid
            | X509VerificationFlags.IgnoreNotTimeNested
            | X509VerificationFlags.IgnoreWrongUsage;

        chain.Build(leaf);

        var elements = chain.ChainElements.Select(e => e.Certificate).ToArray();
        // An anchor need not be self-signed (a pinned issuing CA). OpenSSL then reports the path as
        // partial although it ends at a certificate we trust by configuration; that is accepted.
        var endsAtAnchor = elements.Length > 0 && _anchorThumbprints.Contains(elements[^1].Thumbprint);
        var statusFailure = MapChainStatus(chain, elements, endsAtAnchor);
        if (statusFailure is not null)
        {
            return VerificationResult<X509Certificate2[]>.From(statusFailure);
        }

        if (elements.Length == 0 || !_anchorThumbprints.Contains(elements[^1].Thumbprint))
        {
            return VerificationResult<X509Certificate2[]>.Fail(
                TrustFailure.UntrustedCertificate,
                $"certificate '{leaf.Subject}' does not chain to a trusted anchor");
        }

        for (var i = 0; i < elements.Length; i++)
        {
            var cert = elements[i];
            var where = Describe(cert, i);
            var isAnchor = i == elements.Length - 1;

            var time = CheckTime(cert, at, where);
            if (!time.IsValid)
            {
                return VerificationResult<X509Certificate2[]>.From(time);
            }

            var key = CryptoPolicy.CheckPublicKey(cert, where);
            if (!key.IsValid)
            {
                return VerificationResult<X509Certificate2[]>.From(key);
            }

            // An anchor's self-signature proves nothing (it is trusted by configuration), so only the
            // signatures that build the path are held to the policy.
            if (!isAnchor)
            {
                var alg = CryptoPolicy.CheckSignatureAlgorithm(cert.SignatureAlgorithm.Value, where);
                if (!alg.IsValid)
                {
                    return VerificationResult<X509Certificate2[]>.From(alg);
                }
            }

            if (i > 0)
            {
                var ca = CheckCa(cert, where);
                if (!ca.IsValid)
                {
                    return VerificationResult<X509Certificate2[]>.From(ca);
                }
            }
        }

        var usage = CheckPurpose(leaf, purpose);
        return usage.IsValid
            ? VerificationResult<X509Certificate2[]>.Ok(elements)
            : VerificationResult<X509Certificate2[]>.From(usage);
    }

    /// <summary>Checks that a certificate allows a purpose (key usage and extended key usage only).</summary>
    public static VerificationResult CheckPurpose(X509Certificate2 certificate, CertificatePurpose purpose)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var where = $"certificate '{certificate.Subject}'";
        var ku = certificate.Extensions.OfType<X509KeyUsageExtension>().FirstOrDefault();
        var eku = certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault();
        var ekuOids = eku?.EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>().Select(o => o.Value).ToHashSet(StringComparer.Ordinal);

        switch (purpose)
        {
            case CertificatePurpose.Any:
                return VerificationResult.Ok;

            case CertificatePurpose.Authentication:
                if (ku is not null && !ku.KeyUsages.HasFlag(X509KeyUsageFlags.DigitalSignature))
                {
                    return WrongUsage(where, "lacks digitalSignature for authentication");
                }

                // RFC 5280 reads a missing EKU as "any purpose"; for TLS between security servers we
                // require it, so a signing certificate (which has none) cannot authenticate a server.
                if (ekuOids is null || (!ekuOids.Contains(Oids.ClientAuth) && !ekuOids.Contains(Oids.ServerAuth)))
                {
                    return WrongUsage(where, "has no serverAuth or clientAuth extended key usage");
                }

                return RejectCa(certificate, where);

            case CertificatePurpose.Signing:
                if (ku is not null
                    && !ku.KeyUsages.HasFlag(X509KeyUsageFlags.NonRepudiation)
                    && !ku.KeyUsages.HasFlag(X509KeyUsageFlags.DigitalSignature))
                {
                    return WrongUsage(where, "lacks nonRepudiation and digitalSignature for signing");
                }

                // An authentication-only certificate must not sign evidence.
                if (ekuOids is not null && ekuOids.Count > 0
                    && ekuOids.All(o => o is Oids.ClientAuth or Oids.ServerAuth))
                {
                    return WrongUsage(where, "is an authentication certificate, not a signing certificate");
                }

                return RejectCa(certificate, where);

            case CertificatePurpose.OcspSigning:
                if (ekuOids is null || !ekuOids.Contains(Oids.OcspSigning))
                {
                    return WrongUsage(where, "has no id-kp-OCSPSigning extended key usage");
                }

                return VerificationResult.Ok;

            case CertificatePurpose.TimeStamping:
                // RFC 3161 §2.3: exactly one EKU, id-kp-timeStamping, and the extension is critical.
                if (eku is null || !eku.Critical || ekuOids is null || ekuOids.Count != 1 || !ekuOids.Contains(Oids.TimeStamping))
                {
                    return WrongUsage(where, "must have id-kp-timeStamping as its only, critical, extended key usage");
                }

                return VerificationResult.Ok;

            default:
                throw new ArgumentOutOfRangeException(nameof(purpose), purpose, "Unknown purpose.");
        }
    }

    private VerificationResult CheckTime(X509Certificate2 cert, DateTimeOffset at, string where)
    {
        var notBefore = new DateTimeOffset(cert.NotBefore.ToUniversalTime(), TimeSpan.Zero);
        var notAfter = new DateTimeOffset(cert.NotAfter.ToUniversalTime(), TimeSpan.Zero);
        if (notBefore > at + ClockSkew)
        {
            return VerificationResult.Fail(TrustFailure.CertificateNotYetValid, $"{where} is not valid before {notBefore:O}");
        }

        if (notAfter < at)
        {
            return VerificationResult.Fail(TrustFailure.CertificateExpired, $"{where} expired at {notAfter:O}");
        }

        return VerificationResult.Ok;
    }

    private static VerificationResult CheckCa(X509Certificate2 cert, string where)
    {
        var bc = cert.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault();
        if (bc is null || !bc.CertificateAuthority)
        {
            return VerificationResult.Fail(TrustFailure.InvalidBasicConstraints, $"{where} is used as a CA but is not marked as one");
        }

        var ku = cert.Extensions.OfType<X509KeyUsageExtension>().FirstOrDefault();
        if (ku is not null && !ku.KeyUsages.HasFlag(X509KeyUsageFlags.KeyCertSign))
        {
            return VerificationResult.Fail(TrustFailure.WrongKeyUsage, $"{where} is used as a CA but lacks keyCertSign");
        }

        return VerificationResult.Ok;
    }

    private static VerificationResult RejectCa(X509Certificate2 cert, string where)
    {
        var bc = cert.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault();
        return bc is { CertificateAuthority: true }
            ? WrongUsage(where, "is a CA certificate and cannot be used by an end entity")
            : VerificationResult.Ok;
    }

    private static VerificationResult WrongUsage(string where, string what) =>
        VerificationResult.Fail(TrustFailure.WrongKeyUsage, $"{where} {what}");

    private static string Describe(X509Certificate2 cert, int depth) =>
        depth == 0 ? $"certificate '{cert.Subject}'" : $"CA certificate '{cert.Subject}'";

    private static VerificationResult? MapChainStatus(X509Chain chain, X509Certificate2[] elements, bool endsAtAnchor)
    {
        for (var i = 0; i < chain.ChainElements.Count; i++)
        {
            foreach (var status in chain.ChainElements[i].ChainElementStatus)
            {
                var where = Describe(elements[i], i);
                if (endsAtAnchor && i == elements.Length - 1 && status.Status is X509ChainStatusFlags.PartialChain or X509ChainStatusFlags.UntrustedRoot)
                {
                    continue;
                }

                var failure = status.Status switch
                {
                    X509ChainStatusFlags.NoError => (TrustFailure?)null,
                    X509ChainStatusFlags.NotSignatureValid => TrustFailure.CertificateSignatureInvalid,
                    X509ChainStatusFlags.InvalidBasicConstraints => TrustFailure.InvalidBasicConstraints,
                    X509ChainStatusFlags.NotTimeValid or X509ChainStatusFlags.NotTimeNested => null,
                    X509ChainStatusFlags.NotValidForUsage => null,
                    _ => TrustFailure.UntrustedCertificate,
                };
                if (failure is { } f)
                {
                    return VerificationResult.Fail(f, $"{where}: {status.Status} ({status.StatusInformation.Trim()})");
                }
            }
        }

        foreach (var status in chain.ChainStatus)
        {
            if (!endsAtAnchor && status.Status is X509ChainStatusFlags.PartialChain or X509ChainStatusFlags.UntrustedRoot)
            {
                return VerificationResult.Fail(
                    TrustFailure.UntrustedCertificate,
                    $"certificate '{elements[0].Subject}' does not chain to a trusted anchor ({status.Status})");
            }
        }

        return null;
    }

    private sealed record ValidatedChain(X509Certificate2[] Chain, DateTimeOffset ValidFrom, DateTimeOffset ValidTo);
}
