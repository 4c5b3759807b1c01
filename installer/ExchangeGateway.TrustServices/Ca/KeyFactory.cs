using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ExchangeGateway.Common.Crypto;

namespace ExchangeGateway.TrustServices.Ca;

/// <summary>Key generation and signature generators for the dev CA.</summary>
internal static class KeyFactory
{
    public static AsymmetricAlgorithm Create(KeyKind kind) => kind switch
    {
        KeyKind.EcdsaP256 => ECDsa.Create(ECCurve.NamedCurves.nistP256),
        KeyKind.EcdsaP384 => ECDsa.Create(ECCurve.NamedCurves.nistP384),
        KeyKind.Rsa2048 => RSA.Create(2048),
        KeyKind.Rsa3072 => RSA.Create(3072),
        KeyKind.Rsa1024 => RSA.Create(1024),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown key kind."),
    };

    public static CertificateRequest CreateRequest(X500DistinguishedName subject, AsymmetricAlgorithm key, HashAlgorithmName hash) => key switch
    {
        ECDsa ec => new CertificateRequest(subject, ec, hash),
        RSA rsa => new CertificateRequest(subject, rsa, hash, RSASignaturePadding.Pkcs1),
        _ => throw new NotSupportedException(key.GetType().Name),
    };

    public static X509SignatureGenerator CreateSignatureGenerator(X509Certificate2 issuer, HashAlgorithmName hash)
    {
        if (issuer.GetECDsaPrivateKey() is { } ec)
        {
            // .NET will not emit ecdsa-with-SHA1; negative tests need such certificates, so write that
            // one algorithm identifier ourselves.
            return hash == HashAlgorithmName.SHA1 ? new EcdsaSha1Generator(ec) : X509SignatureGenerator.CreateForECDsa(ec);
        }

        if (issuer.GetRSAPrivateKey() is { } rsa)
        {
            return X509SignatureGenerator.CreateForRSA(rsa, RSASignaturePadding.Pkcs1);
        }

        throw new NotSupportedException("The issuer key must be ECDSA or RSA.");
    }

    /// <summary>Rejects keys a CA must not certify (policy of ARCHITECTURE.md §5).</summary>
    public static void CheckPublicKey(PublicKey key)
    {
        switch (key.Oid.Value)
        {
            case Oids.Rsa:
            {
                using var rsa = key.GetRSAPublicKey();
                if (rsa is null || rsa.KeySize < CryptoPolicy.MinimumRsaKeySize)
                {
                    throw new CsrRejectedException($"RSA keys below {CryptoPolicy.MinimumRsaKeySize} bits are not certified.");
                }

                break;
            }

            case Oids.EcPublicKey:
            {
                using var ec = key.GetECDsaPublicKey();
                var oid = ec?.ExportParameters(false).Curve.Oid.Value;
                if (oid is not ("1.2.840.10045.3.1.7" or "1.3.132.0.34" or "1.3.132.0.35"))
                {
                    throw new CsrRejectedException("Only the P-256, P-384 and P-521 curves are certified.");
                }

                break;
            }

            default:
                throw new CsrRejectedException($"Key algorithm {key.Oid.Value} is not certified.");
        }
    }

    private sealed class EcdsaSha1Generator(ECDsa key) : X509SignatureGenerator
    {
        private readonly X509SignatureGenerator _inner = CreateForECDsa(key);

        public override byte[] GetSignatureAlgorithmIdentifier(HashAlgorithmName hashAlgorithm)
        {
            var writer = new AsnWriter(AsnEncodingRules.DER);
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier("1.2.840.10045.4.1");
            }

            return writer.Encode();
        }

        public override byte[] SignData(byte[] data, HashAlgorithmName hashAlgorithm) =>
            key.SignData(data, HashAlgorithmName.SHA1, DSASignatureFormat.Rfc3279DerSequence);

        protected override PublicKey BuildPublicKey() => _inner.PublicKey;
    }
}
