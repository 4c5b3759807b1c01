using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ExchangeGateway.Common.Results;

namespace ExchangeGateway.Common.Crypto;

/// <summary>
/// The one allow-list of algorithms and key sizes (ARCHITECTURE.md §5): SHA-256 and stronger, RSA of
/// 2048 bits or more, ECDSA on the NIST curves. SHA-1, MD5, RSA below 2048 and anything unknown are
/// rejected. Every verifier in Common asks this class, so tightening the policy is a one-line change.
/// </summary>
public static class CryptoPolicy
{
    /// <summary>The smallest RSA modulus accepted, in bits.</summary>
    public const int MinimumRsaKeySize = 2048;

    private static readonly Dictionary<string, string> AllowedSignatureAlgorithms = new(StringComparer.Ordinal)
    {
        [Oids.Sha256WithRsa] = "sha256WithRSAEncryption",
        [Oids.Sha384WithRsa] = "sha384WithRSAEncryption",
        [Oids.Sha512WithRsa] = "sha512WithRSAEncryption",
        [Oids.RsaPss] = "RSASSA-PSS",
        [Oids.EcdsaWithSha256] = "ecdsa-with-SHA256",
        [Oids.EcdsaWithSha384] = "ecdsa-with-SHA384",
        [Oids.EcdsaWithSha512] = "ecdsa-with-SHA512",
    };

    private static readonly Dictionary<string, string> KnownWeakAlgorithms = new(StringComparer.Ordinal)
    {
        ["1.2.840.113549.1.1.5"] = "sha1WithRSAEncryption",
        ["1.2.840.113549.1.1.4"] = "md5WithRSAEncryption",
        ["1.2.840.10045.4.1"] = "ecdsa-with-SHA1",
        ["1.2.840.10040.4.3"] = "dsa-with-SHA1",
        ["1.3.14.3.2.26"] = "SHA-1",
        ["1.2.840.113549.2.5"] = "MD5",
    };

    private static readonly HashSet<string> AllowedCurves = new(StringComparer.Ordinal)
    {
        "1.2.840.10045.3.1.7", // P-256
        "1.3.132.0.34", // P-384
        "1.3.132.0.35", // P-521
    };

    /// <summary>Checks a signature algorithm OID (certificate, CMS, OCSP or TSP signature).</summary>
    public static VerificationResult CheckSignatureAlgorithm(string? oid, string where)
    {
        if (oid is not null && AllowedSignatureAlgorithms.ContainsKey(oid))
        {
            return VerificationResult.Ok;
        }

        var name = oid is not null && KnownWeakAlgorithms.TryGetValue(oid, out var weak) ? weak : oid ?? "(none)";
        return VerificationResult.Fail(TrustFailure.WeakAlgorithm, $"{where}: signature algorithm {name} is not allowed");
    }

    /// <summary>Checks a digest algorithm OID (CMS digest, OCSP CertID is checked separately, TSP imprint).</summary>
    public static VerificationResult CheckDigestAlgorithm(string? oid, string where)
    {
        if (TryGetHashAlgorithm(oid, out _))
        {
            return VerificationResult.Ok;
        }

        var name = oid is not null && KnownWeakAlgorithms.TryGetValue(oid, out var weak) ? weak : oid ?? "(none)";
        return VerificationResult.Fail(TrustFailure.WeakAlgorithm, $"{where}: digest algorithm {name} is not allowed");
    }

    /// <summary>Maps an allowed digest OID to its .NET name.</summary>
    public static bool TryGetHashAlgorithm(string? oid, out HashAlgorithmName name)
    {
        switch (oid)
        {
            case Oids.Sha256:
                name = HashAlgorithmName.SHA256;
                return true;
            case Oids.Sha384:
                name = HashAlgorithmName.SHA384;
                return true;
            case Oids.Sha512:
                name = HashAlgorithmName.SHA512;
                return true;
            default:
                name = default;
                return false;
        }
    }

    /// <summary>The OID of an allowed digest algorithm.</summary>
    public static string GetHashOid(HashAlgorithmName name)
    {
        if (name == HashAlgorithmName.SHA256)
        {
            return Oids.Sha256;
        }

        if (name == HashAlgorithmName.SHA384)
        {
            return Oids.Sha384;
        }

        if (name == HashAlgorithmName.SHA512)
        {
            return Oids.Sha512;
        }

        throw new CryptographicException($"Digest algorithm {name.Name} is not allowed.");
    }

    /// <summary>Checks a certificate's public key: RSA of at least 2048 bits, or ECDSA on P-256/384/521.</summary>
    public static VerificationResult CheckPublicKey(X509Certificate2 certificate, string where)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var keyOid = certificate.PublicKey.Oid.Value;
        switch (keyOid)
        {
            case Oids.Rsa:
            {
                using var rsa = certificate.GetRSAPublicKey();
                var bits = rsa?.KeySize ?? 0;
                return bits >= MinimumRsaKeySize
                    ? VerificationResult.Ok
                    : VerificationResult.Fail(TrustFailure.WeakKey, $"{where}: RSA key of {bits} bits is below {MinimumRsaKeySize}");
            }

            case Oids.EcPublicKey:
            {
                var curve = GetCurveOid(certificate);
                return curve is not null && AllowedCurves.Contains(curve)
                    ? VerificationResult.Ok
                    : VerificationResult.Fail(TrustFailure.WeakKey, $"{where}: elliptic curve {curve ?? "(unknown)"} is not allowed");
            }

            default:
                return VerificationResult.Fail(TrustFailure.WeakKey, $"{where}: key algorithm {keyOid ?? "(unknown)"} is not allowed");
        }
    }

    private static string? GetCurveOid(X509Certificate2 certificate)
    {
        // The named curve is the algorithm parameter of SubjectPublicKeyInfo (RFC 5480 §2.1.1).
        try
        {
            var parameters = certificate.PublicKey.EncodedParameters?.RawData;
            if (parameters is null)
            {
                return null;
            }

            var reader = new System.Formats.Asn1.AsnReader(parameters, System.Formats.Asn1.AsnEncodingRules.DER);
            return reader.ReadObjectIdentifier();
        }
        catch (System.Formats.Asn1.AsnContentException)
        {
            return null;
        }
    }
}
