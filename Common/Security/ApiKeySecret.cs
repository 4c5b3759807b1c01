using System.Buffers.Text;
using System.Security.Cryptography;

namespace ExchangeGateway.Common.Security;

/// <summary>
/// The key format: <c>{id}.{secret}</c>, where id is 16 lowercase hex digits (public, used to find the
/// record and named in logs) and secret is 32 random bytes, base64url without padding. Only the
/// SHA-256 of the secret bytes is stored; 256 random bits need no slow hash.
/// </summary>
public static class ApiKeySecret
{
    /// <summary>Random bytes in the secret part.</summary>
    public const int SecretBytes = 32;
    private const int IdBytes = 8;
    private const int IdChars = IdBytes * 2;
    private const int SecretChars = 43;

    /// <summary>A new key: id, full key text and the hash to store.</summary>
    public static (string Id, string Key, byte[] Hash) Generate()
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(IdBytes));
        var secret = RandomNumberGenerator.GetBytes(SecretBytes);
        try
        {
            return (id, id + "." + Base64Url.EncodeToString(secret), SHA256.HashData(secret));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }

    /// <summary>Splits presented key text into id and secret hash; false when it is not of our format.</summary>
    public static bool TryParse(string? key, out string id, out byte[] hash)
    {
        id = string.Empty;
        hash = [];
        if (key is null || key.Length != IdChars + 1 + SecretChars || key[IdChars] != '.')
        {
            return false;
        }

        var idPart = key.AsSpan(0, IdChars);
        foreach (var c in idPart)
        {
            if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        Span<byte> secret = stackalloc byte[SecretBytes + 2];
        try
        {
            if (Base64Url.DecodeFromChars(key.AsSpan(IdChars + 1), secret, out var consumed, out var written) != System.Buffers.OperationStatus.Done
                || consumed != SecretChars
                || written != SecretBytes)
            {
                return false;
            }

            id = idPart.ToString();
            hash = SHA256.HashData(secret[..SecretBytes]);
            return true;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }
}
