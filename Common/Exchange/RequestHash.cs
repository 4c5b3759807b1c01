using System.Security.Cryptography;

namespace ExchangeGateway.Common.Exchange;

/// <summary>
/// The X-Road REST request hash (XROAD-COMPAT.md): base64(SHA-512(SHA-512(head) ‖ SHA-512(body))), or
/// base64(SHA-512(head)) when there is no body, where head is the canonical request head that was signed.
/// </summary>
public static class RequestHash
{
    /// <summary>Computes the request hash from the head bytes and the body's SHA-512 (ignored when <paramref name="bodyLength"/> is 0).</summary>
    public static string Compute(ReadOnlySpan<byte> headBytes, ReadOnlySpan<byte> bodyDigest, long bodyLength)
    {
        Span<byte> headDigest = stackalloc byte[SHA512.HashSizeInBytes];
        SHA512.HashData(headBytes, headDigest);
        if (bodyLength == 0)
        {
            return Convert.ToBase64String(headDigest);
        }

        if (bodyDigest.Length != SHA512.HashSizeInBytes)
        {
            throw new ArgumentException("The body digest must be SHA-512.", nameof(bodyDigest));
        }

        Span<byte> both = stackalloc byte[2 * SHA512.HashSizeInBytes];
        headDigest.CopyTo(both);
        bodyDigest.CopyTo(both[SHA512.HashSizeInBytes..]);
        Span<byte> result = stackalloc byte[SHA512.HashSizeInBytes];
        SHA512.HashData(both, result);
        return Convert.ToBase64String(result);
    }

    /// <summary>The digest a head's signature is made over: SHA-256 of the canonical head bytes (they already hold the body digest).</summary>
    public static byte[] SigningDigest(ReadOnlySpan<byte> headBytes) => SHA256.HashData(headBytes);
}
