using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;

namespace ExchangeGateway.Common.Crypto.TimeStamping;

/// <summary>Builds RFC 3161 <c>TimeStampReq</c>s the way the gateway always asks for them.</summary>
public static class TimeStampRequestFactory
{
    /// <summary>Length of the random nonce, in bytes (64 bits, as RFC 3161 §2.4.1 suggests is enough).</summary>
    public const int NonceLength = 8;

    /// <summary>
    /// A request over a precomputed hash: the imprint algorithm must be SHA-256, SHA-384 or SHA-512,
    /// a fresh random nonce is included (§2.4.1: it binds the reply to this request when there is no
    /// reliable local clock), and <c>certReq</c> is true so that the token carries the TSA
    /// certificate and can be verified offline later.
    /// </summary>
    /// <param name="hash">The digest to time-stamp; its length must match <paramref name="hashAlgorithm"/>.</param>
    /// <param name="hashAlgorithm">The digest algorithm that produced <paramref name="hash"/>.</param>
    /// <param name="policyOid">A TSA policy to ask for, or null to leave it to the TSA.</param>
    /// <exception cref="CryptographicException">The algorithm is not allowed by <see cref="CryptoPolicy"/>.</exception>
    /// <exception cref="ArgumentException">The hash length does not match the algorithm.</exception>
    public static Rfc3161TimestampRequest Create(ReadOnlySpan<byte> hash, HashAlgorithmName hashAlgorithm, string? policyOid = null)
    {
        var oid = CryptoPolicy.GetHashOid(hashAlgorithm);
        var expectedLength = HashLength(hashAlgorithm);
        if (hash.Length != expectedLength)
        {
            throw new ArgumentException($"A {hashAlgorithm.Name} hash is {expectedLength} bytes, not {hash.Length}.", nameof(hash));
        }

        var nonce = RandomNumberGenerator.GetBytes(NonceLength);
        return Rfc3161TimestampRequest.CreateFromHash(
            hash.ToArray(),
            new Oid(oid),
            policyOid is null ? null : new Oid(policyOid),
            nonce,
            requestSignerCertificates: true);
    }

    /// <summary>The digest length in bytes of an allowed algorithm.</summary>
    internal static int HashLength(HashAlgorithmName name)
    {
        if (name == HashAlgorithmName.SHA256)
        {
            return SHA256.HashSizeInBytes;
        }

        if (name == HashAlgorithmName.SHA384)
        {
            return SHA384.HashSizeInBytes;
        }

        if (name == HashAlgorithmName.SHA512)
        {
            return SHA512.HashSizeInBytes;
        }

        throw new CryptographicException($"Digest algorithm {name.Name} is not allowed.");
    }
}
