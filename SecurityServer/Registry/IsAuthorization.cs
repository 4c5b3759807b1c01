using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ExchangeGateway.SecurityServer.Registry;

/// <summary>
/// May the local information system that opened this connection act for the client it names? The client
/// proxy asks this after it found the client in the local configuration (X-Road's IS authentication):
/// <c>http</c> accepts anything; <c>https</c> requires TLS; <c>https-certificate</c> requires TLS with a
/// client certificate whose SHA-256 is registered for the client. Failures map to
/// <see cref="IsAuthorizationResult.ErrorCode"/>.
/// </summary>
/// <remarks>
/// The certificate is compared by the hash of its DER only: IS certificates are often self-signed and are
/// pinned, not validated against a CA (as in X-Road). The TLS layer has already proved possession of the
/// key.
/// </remarks>
public static class IsAuthorization
{
    /// <summary>Checks one request's connection against the client's connection type and IS certificates.</summary>
    /// <param name="client">The client the request names, from the live snapshot.</param>
    /// <param name="isHttps">True when the request arrived over TLS.</param>
    /// <param name="clientCertificate">The TLS client certificate, if one was presented.</param>
    public static IsAuthorizationResult Check(LocalClient client, bool isHttps, X509Certificate2? clientCertificate)
    {
        ArgumentNullException.ThrowIfNull(client);
        switch (client.ConnectionType)
        {
            case ConnectionType.Http:
                return IsAuthorizationResult.Allowed;

            case ConnectionType.Https:
                return isHttps
                    ? IsAuthorizationResult.Allowed
                    : IsAuthorizationResult.Fail(IsAuthorizationFailure.PlainHttpNotAllowed, $"Client ({client.Id}) specifies HTTPS but client made plaintext connection");

            case ConnectionType.HttpsCertificate:
                if (!isHttps)
                {
                    return IsAuthorizationResult.Fail(IsAuthorizationFailure.PlainHttpNotAllowed, $"Client ({client.Id}) specifies HTTPS with a client certificate but client made plaintext connection");
                }

                if (clientCertificate is null)
                {
                    return IsAuthorizationResult.Fail(IsAuthorizationFailure.MissingCertificate, $"Client ({client.Id}) specifies HTTPS but did not supply TLS certificate");
                }

                if (client.IsCertificateHashes.IsEmpty)
                {
                    return IsAuthorizationResult.Fail(IsAuthorizationFailure.NoCertificateRegistered, $"Client ({client.Id}) has no IS certificates");
                }

                var hash = Convert.ToHexStringLower(clientCertificate.GetCertHash(HashAlgorithmName.SHA256));
                foreach (var registered in client.IsCertificateHashes)
                {
                    if (string.Equals(registered, hash, StringComparison.Ordinal))
                    {
                        return IsAuthorizationResult.Allowed;
                    }
                }

                return IsAuthorizationResult.Fail(IsAuthorizationFailure.CertificateNotRegistered, $"Client ({client.Id}) TLS certificate does not match any IS certificates");

            default:
                throw new ArgumentOutOfRangeException(nameof(client), client.ConnectionType, "Unknown connection type.");
        }
    }
}
