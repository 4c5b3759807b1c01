using System.Security.Cryptography;
using System.Text;

namespace ExchangeGateway.Signer.Tokens;

/// <summary>
/// The token's cryptography: PBKDF2-HMAC-SHA256 from the PIN to a key-encryption key (KEK), AES-256-GCM
/// to wrap the data-encryption key (DEK) under the KEK, and AES-256-GCM under the DEK for key and
/// secret files. Every secret buffer it makes is zeroed before it returns.
/// </summary>
internal static class TokenCipher
{
    /// <summary>AES-256.</summary>
    public const int KeyBytes = 32;

    /// <summary>The GCM nonce (NIST SP 800-38D §8.2.2: 96 random bits).</summary>
    public const int NonceBytes = 12;

    /// <summary>The full 128-bit GCM tag.</summary>
    public const int TagBytes = 16;

    /// <summary>The PBKDF2 salt.</summary>
    public const int SaltBytes = 16;

    /// <summary>Fewer iterations are refused when read from a token file (tests use 1,000).</summary>
    public const int MinIterations = 1_000;

    /// <summary>More iterations are refused when read (a tampered file must not hang a login).</summary>
    public const int MaxIterations = 10_000_000;

    /// <summary>The first bytes of every encrypted file.</summary>
    public static ReadOnlySpan<byte> Magic => "XGWK1"u8;

    /// <summary>The associated data of the wrapped DEK.</summary>
    public static ReadOnlySpan<byte> DekAad => "xgw-dek"u8;

    /// <summary>The associated data of key <paramref name="keyId"/>'s file: a file copied over another key's name does not decrypt.</summary>
    public static byte[] KeyAad(string keyId) => Encoding.ASCII.GetBytes("xgw-key:" + keyId);

    /// <summary>The associated data of secret <paramref name="name"/>'s file.</summary>
    public static byte[] SecretAad(string name) => Encoding.ASCII.GetBytes("xgw-secret:" + name);

    /// <summary>A buffer for key material that the GC never moves (so no stray copy is left behind); zero it after use.</summary>
    public static byte[] NewSecretBuffer(int length) => GC.AllocateArray<byte>(length, pinned: true);

    /// <summary>Derives the KEK from <paramref name="pin"/> into a new pinned buffer; the caller zeroes it.</summary>
    public static byte[] DeriveKek(string pin, ReadOnlySpan<byte> salt, int iterations)
    {
        var pinBytes = NewSecretBuffer(Encoding.UTF8.GetByteCount(pin));
        var kek = NewSecretBuffer(KeyBytes);
        try
        {
            Encoding.UTF8.GetBytes(pin, pinBytes);
            Rfc2898DeriveBytes.Pbkdf2(pinBytes, salt, kek, iterations, HashAlgorithmName.SHA256);
            return kek;
        }
        catch
        {
            CryptographicOperations.ZeroMemory(kek);
            throw;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pinBytes);
        }
    }

    /// <summary>Encrypts <paramref name="plaintext"/>; returns the nonce, the ciphertext and the tag.</summary>
    public static (byte[] Nonce, byte[] Ciphertext, byte[] Tag) Seal(ReadOnlySpan<byte> key, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> aad)
    {
        var nonce = RandomNumberGenerator.GetBytes(NonceBytes);
        var ciphertext = new byte[plaintext.Length];
        var tag = new byte[TagBytes];
        using var aes = new AesGcm(key, TagBytes);
        aes.Encrypt(nonce, plaintext, ciphertext, tag, aad);
        return (nonce, ciphertext, tag);
    }

    /// <summary>Decrypts into a new pinned buffer (the caller zeroes it); null when the tag does not verify (wrong key or altered data).</summary>
    public static byte[]? Open(ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> tag, ReadOnlySpan<byte> aad)
    {
        if (nonce.Length != NonceBytes || tag.Length != TagBytes)
        {
            return null;
        }

        var plaintext = NewSecretBuffer(ciphertext.Length);
        try
        {
            using var aes = new AesGcm(key, TagBytes);
            aes.Decrypt(nonce, ciphertext, tag, plaintext, aad);
            return plaintext;
        }
        catch (AuthenticationTagMismatchException)
        {
            CryptographicOperations.ZeroMemory(plaintext);
            return null;
        }
    }

    /// <summary>An encrypted file: <c>XGWK1</c>, nonce (12), tag (16), ciphertext.</summary>
    public static byte[] SealFile(ReadOnlySpan<byte> dek, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> aad)
    {
        var (nonce, ciphertext, tag) = Seal(dek, plaintext, aad);
        var file = new byte[Magic.Length + NonceBytes + TagBytes + ciphertext.Length];
        Magic.CopyTo(file);
        nonce.CopyTo(file.AsSpan(Magic.Length));
        tag.CopyTo(file.AsSpan(Magic.Length + NonceBytes));
        ciphertext.CopyTo(file.AsSpan(Magic.Length + NonceBytes + TagBytes));
        return file;
    }

    /// <summary>Decrypts a file made by <see cref="SealFile"/> into a new pinned buffer (the caller zeroes it); null when it is not one or does not verify.</summary>
    public static byte[]? OpenFile(ReadOnlySpan<byte> dek, ReadOnlySpan<byte> file, ReadOnlySpan<byte> aad)
    {
        var header = Magic.Length + NonceBytes + TagBytes;
        if (file.Length < header || !file.StartsWith(Magic))
        {
            return null;
        }

        return Open(
            dek,
            file.Slice(Magic.Length, NonceBytes),
            file[header..],
            file.Slice(Magic.Length + NonceBytes, TagBytes),
            aad);
    }
}
