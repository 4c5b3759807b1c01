using System.Security.Cryptography;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Nist;
using Org.BouncyCastle.Asn1.Oiw;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto;

namespace ExchangeGateway.TrustServices.Ocsp;

/// <summary>
/// A BouncyCastle <see cref="ISignatureFactory"/> that signs with a .NET <see cref="ECDsa"/> or
/// <see cref="RSA"/> key. BouncyCastle's managed RSA takes 7–9 ms per signature (PERFORMANCE.md); this
/// lets its generators build the structure while .NET (OpenSSL) does the private-key operation.
/// ECDSA signatures are emitted as DER SEQUENCE { r, s } (RFC 3279 §2.2.3). The key is borrowed, not
/// owned: it must outlive every calculator created from this factory.
/// </summary>
public sealed class DotNetSignatureFactory : ISignatureFactory
{
    private readonly AsymmetricAlgorithm _key;
    private readonly HashAlgorithmName _hash;
    private readonly RSASignaturePadding? _padding;
    private readonly AlgorithmIdentifier _algorithm;

    /// <summary>Creates a factory.</summary>
    /// <param name="key">An <see cref="ECDsa"/> or <see cref="RSA"/> private key.</param>
    /// <param name="hash">SHA-256, -384 or -512; SHA-1 only so that tests can make weak signatures.</param>
    /// <param name="rsaPadding">PKCS#1 v1.5 (default) or PSS, for RSA keys.</param>
    public DotNetSignatureFactory(AsymmetricAlgorithm key, HashAlgorithmName hash, RSASignaturePadding? rsaPadding = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        _key = key;
        _hash = hash;
        switch (key)
        {
            case ECDsa:
                _algorithm = new AlgorithmIdentifier(EcdsaOid(hash));
                break;
            case RSA:
                _padding = rsaPadding ?? RSASignaturePadding.Pkcs1;
                _algorithm = _padding == RSASignaturePadding.Pss ? PssAlgorithm(hash) : new AlgorithmIdentifier(RsaOid(hash), DerNull.Instance);
                break;
            default:
                throw new NotSupportedException($"Key type {key.GetType().Name} is not supported.");
        }
    }

    /// <summary>The signature AlgorithmIdentifier, as BouncyCastle generators expect.</summary>
    public object AlgorithmDetails => _algorithm;

    /// <summary>A calculator that buffers the data written to it and signs it when the result is collected.</summary>
    public IStreamCalculator CreateCalculator() => new Calculator(this);

    /// <summary>Signs <paramref name="data"/> directly.</summary>
    public byte[] Sign(byte[] data) => _key switch
    {
        ECDsa ec => ec.SignData(data, _hash, DSASignatureFormat.Rfc3279DerSequence),
        RSA rsa => rsa.SignData(data, _hash, _padding!),
        _ => throw new NotSupportedException(),
    };

    private static DerObjectIdentifier EcdsaOid(HashAlgorithmName hash) =>
        hash == HashAlgorithmName.SHA256 ? X9ObjectIdentifiers.ECDsaWithSha256
        : hash == HashAlgorithmName.SHA384 ? X9ObjectIdentifiers.ECDsaWithSha384
        : hash == HashAlgorithmName.SHA512 ? X9ObjectIdentifiers.ECDsaWithSha512
        : hash == HashAlgorithmName.SHA1 ? X9ObjectIdentifiers.ECDsaWithSha1
        : throw new NotSupportedException($"Hash {hash.Name} is not supported.");

    private static DerObjectIdentifier RsaOid(HashAlgorithmName hash) =>
        hash == HashAlgorithmName.SHA256 ? PkcsObjectIdentifiers.Sha256WithRsaEncryption
        : hash == HashAlgorithmName.SHA384 ? PkcsObjectIdentifiers.Sha384WithRsaEncryption
        : hash == HashAlgorithmName.SHA512 ? PkcsObjectIdentifiers.Sha512WithRsaEncryption
        : hash == HashAlgorithmName.SHA1 ? PkcsObjectIdentifiers.Sha1WithRsaEncryption
        : throw new NotSupportedException($"Hash {hash.Name} is not supported.");

    private static AlgorithmIdentifier PssAlgorithm(HashAlgorithmName hash)
    {
        // RFC 4055 §3.1: MGF1 over the same hash, salt as long as the hash, trailer 1 — what .NET's PSS does.
        var (oid, length) = hash == HashAlgorithmName.SHA256 ? (NistObjectIdentifiers.IdSha256, 32)
            : hash == HashAlgorithmName.SHA384 ? (NistObjectIdentifiers.IdSha384, 48)
            : hash == HashAlgorithmName.SHA512 ? (NistObjectIdentifiers.IdSha512, 64)
            : hash == HashAlgorithmName.SHA1 ? (OiwObjectIdentifiers.IdSha1, 20)
            : throw new NotSupportedException($"Hash {hash.Name} is not supported.");
        var hashAlgorithm = new AlgorithmIdentifier(oid, DerNull.Instance);
        var parameters = new RsassaPssParameters(
            hashAlgorithm,
            new AlgorithmIdentifier(PkcsObjectIdentifiers.IdMgf1, hashAlgorithm),
            new DerInteger(length),
            new DerInteger(1));
        return new AlgorithmIdentifier(PkcsObjectIdentifiers.IdRsassaPss, parameters);
    }

    private sealed class Calculator(DotNetSignatureFactory owner) : IStreamCalculator
    {
        private readonly MemoryStream _buffer = new();

        public Stream Stream => _buffer;

        // BouncyCastle disposes the stream before collecting; MemoryStream.ToArray works after that.
        public object GetResult() => new Result(owner.Sign(_buffer.ToArray()));
    }

    private sealed class Result(byte[] signature) : IBlockResult
    {
        public byte[] Collect() => (byte[])signature.Clone();

        public int Collect(byte[] destination, int offset)
        {
            ArgumentNullException.ThrowIfNull(destination);
            signature.CopyTo(destination, offset);
            return signature.Length;
        }
    }
}
