using System.Security.Cryptography;

namespace ExchangeGateway.Common.Soap;

/// <summary>
/// <c>xrd:requestHash</c>: the digest of the request's SOAP part bytes exactly as received, which the
/// provider's security server adds to the response and the client's security server checks.
/// </summary>
public static class SoapRequestHash
{
    /// <summary>The <c>algorithmId</c> the gateway writes: SHA-512 (XML Encryption's identifier, as X-Road uses).</summary>
    public const string AlgorithmId = "http://www.w3.org/2001/04/xmlenc#sha512";

    /// <summary>Base64 of SHA-512 over <paramref name="soapPart"/> (the SOAP part only, never the attachments or MIME framing).</summary>
    public static string Compute(ReadOnlySpan<byte> soapPart)
    {
        Span<byte> digest = stackalloc byte[SHA512.HashSizeInBytes];
        SHA512.HashData(soapPart, digest);
        return Convert.ToBase64String(digest);
    }

    /// <summary>The request hash from the SOAP part's SHA-512 when it is already known (it is the same value, base64).</summary>
    public static string FromDigest(ReadOnlySpan<byte> sha512)
    {
        if (sha512.Length != SHA512.HashSizeInBytes)
        {
            throw new ArgumentException("The digest must be SHA-512.", nameof(sha512));
        }

        return Convert.ToBase64String(sha512);
    }
}
