using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using ExchangeGateway.Common.Crypto.Merkle;

namespace ExchangeGateway.MessageLog.Archiving;

/// <summary>
/// The per-archive body key: 32 random bytes (AES-256-GCM), wrapped as CMS EnvelopedData (RFC 5652 §6)
/// to every recipient certificate with RSAES-OAEP-SHA256 key transport and AES-256-CBC content
/// encryption, so that <c>openssl cms -decrypt -inform DER -in key.p7m -recip cert.pem -inkey key.pem</c>
/// prints the 32 key bytes.
/// </summary>
internal static class ArchiveKeys
{
    private const string Aes256Cbc = "2.16.840.1.101.3.4.1.42";

    /// <summary>A fresh random key.</summary>
    public static byte[] NewKey() => RandomNumberGenerator.GetBytes(ArchiveLayout.KeyBytes);

    /// <summary>Throws when a certificate cannot be a recipient (EnvelopedCms transports keys with RSA only).</summary>
    /// <exception cref="ArgumentException">Not an RSA certificate.</exception>
    public static void CheckRecipient(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        using var rsa = certificate.GetRSAPublicKey();
        if (rsa is null)
        {
            throw new ArgumentException($"The archive encryption certificate {certificate.Subject} has no RSA key; CMS key transport (openssl cms -encrypt) needs RSA.", nameof(certificate));
        }
    }

    /// <summary>The key wrapped to <paramref name="recipients"/>, as DER EnvelopedData (a ContentInfo).</summary>
    public static byte[] Wrap(byte[] key, IReadOnlyList<X509Certificate2> recipients)
    {
        var envelope = new EnvelopedCms(new ContentInfo(key), new AlgorithmIdentifier(new Oid(Aes256Cbc), 256));
        var collection = new CmsRecipientCollection();
        foreach (var certificate in recipients)
        {
            collection.Add(new CmsRecipient(SubjectIdentifierType.IssuerAndSerialNumber, certificate, RSAEncryptionPadding.OaepSHA256));
        }

        envelope.Encrypt(collection);
        return envelope.Encode();
    }

    /// <summary>
    /// Unwraps the key with whichever of <paramref name="certificates"/> (with private keys) is a recipient.
    /// Null, with <paramref name="problem"/>, when none is or the envelope is malformed.
    /// </summary>
    public static byte[]? TryUnwrap(ReadOnlySpan<byte> wrapped, IReadOnlyList<X509Certificate2> certificates, out string? problem)
    {
        problem = null;
        var envelope = new EnvelopedCms();
        try
        {
            envelope.Decode(wrapped);
            envelope.Decrypt([.. certificates]);
        }
        catch (CryptographicException ex)
        {
            problem = $"the wrapped key cannot be unwrapped with the configured decryption certificates: {ex.Message}";
            return null;
        }

        var key = envelope.ContentInfo.Content;
        if (key.Length != ArchiveLayout.KeyBytes)
        {
            CryptographicOperations.ZeroMemory(key);
            problem = $"the wrapped key is {key.Length} bytes, not {ArchiveLayout.KeyBytes}";
            return null;
        }

        return key;
    }

    /// <summary>Decrypts an encrypted body; null when the tag does not verify (a changed ciphertext, tag, leaf or key).</summary>
    public static byte[]? TryDecrypt(AesGcm aes, long sequence, MerkleHash leaf, byte[] cipher, byte[] tag)
    {
        var plain = new byte[cipher.Length];
        try
        {
            aes.Decrypt(ArchiveLayout.Nonce(sequence), cipher, tag, plain, leaf.AsSpan());
            return plain;
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }
    }
}
