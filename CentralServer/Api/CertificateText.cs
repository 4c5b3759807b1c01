using System.Security.Cryptography;
using ExchangeGateway.CentralServer.Errors;

namespace ExchangeGateway.CentralServer.Api;

/// <summary>Certificates in JSON bodies: one PEM <c>CERTIFICATE</c> block, or base64 DER.</summary>
internal static class CertificateText
{
    internal static Result<byte[]> Decode(string? text, string field)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Failure.Invalid($"{field} is required.");
        }

        if (text.Length > 64 * 1024)
        {
            return Failure.Invalid($"{field} is too long.");
        }

        if (text.Contains("-----BEGIN", StringComparison.Ordinal))
        {
            if (!PemEncoding.TryFind(text, out var fields) || text.AsSpan()[fields.Label].ToString() != "CERTIFICATE")
            {
                return Failure.Invalid($"{field} must hold a PEM CERTIFICATE block.");
            }

            var der = new byte[fields.DecodedDataLength];
            return Convert.TryFromBase64Chars(text.AsSpan()[fields.Base64Data], der, out var written)
                ? der.AsSpan(0, written).ToArray()
                : Failure.Invalid($"{field} has invalid PEM data.");
        }

        try
        {
            return Convert.FromBase64String(text.Trim());
        }
        catch (FormatException)
        {
            return Failure.Invalid($"{field} must be PEM or base64 DER.");
        }
    }

    internal static string Pem(IEnumerable<byte> der) => PemEncoding.WriteString("CERTIFICATE", der.ToArray());
}
