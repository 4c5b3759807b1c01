using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ExchangeGateway.Common.Crypto.X509;
using ExchangeGateway.Common.Identifiers;
using ExchangeGateway.Common.Results;

namespace ExchangeGateway.SecurityServer.Exchange;

/// <summary>
/// Judges the TLS certificate of another security server against global configuration: strong
/// algorithms, a chain to an approved CA valid for authentication, and (per message) its SHA-256
/// registered for a server that hosts the party it speaks for, with a good stapled OCSP response.
/// </summary>
public sealed class PeerAuthenticator
{
    private readonly TrustContextProvider _trust;
    private readonly TimeProvider _time;

    /// <summary>Creates the authenticator.</summary>
    public PeerAuthenticator(TrustContextProvider trust, TimeProvider time)
    {
        _trust = trust;
        _time = time;
    }

    /// <summary>The TLS-handshake check: algorithms and chain. Without a valid configuration nobody is admitted.</summary>
    public VerificationResult<X509Certificate2[]> ValidateHandshake(X509Certificate2? certificate, X509Chain? presentedChain)
    {
        if (certificate is null)
        {
            return VerificationResult<X509Certificate2[]>.Fail(TrustFailure.UntrustedCertificate, "no client certificate");
        }

        if (!_trust.TryGet(out var trust))
        {
            return VerificationResult<X509Certificate2[]>.Fail(TrustFailure.GlobalConfigurationExpired, "no valid global configuration");
        }

        var extra = presentedChain?.ChainElements.Select(e => e.Certificate).Skip(1).ToArray();
        return trust.ValidateCertificate(certificate, CertificatePurpose.Authentication, _time.GetUtcNow(), extra);
    }

    /// <summary>
    /// The per-message check of a peer that claims to send for <paramref name="client"/> (server proxy) or
    /// to host <paramref name="client"/> (client proxy checking the provider's server): the certificate is
    /// registered for a server hosting it, or for <paramref name="expectedServer"/> when given, and the
    /// stapled OCSP response says good.
    /// </summary>
    public ExchangeFailure? CheckPeer(TrustContext trust, X509Certificate2 certificate, ClientId client, SecurityServerId? expectedServer, ReadOnlySpan<byte> authenticationOcsp, bool isServerProxy)
    {
        ArgumentNullException.ThrowIfNull(trust);
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(client);
        var hash = certificate.GetCertHash(HashAlgorithmName.SHA256);
        var registered = expectedServer is not null
            ? trust.Configuration.IsAuthenticationCertificateRegistered(expectedServer, hash)
                && trust.Configuration.FindServersHosting(client).Any(s => s.Id == expectedServer)
            : trust.Configuration.FindServersHosting(client).Any(s => trust.Configuration.IsAuthenticationCertificateRegistered(s.Id, hash));
        if (!registered)
        {
            return Fail(isServerProxy, $"the peer's authentication certificate is not registered for a security server hosting {client}");
        }

        var chain = trust.ValidateCertificate(certificate, CertificatePurpose.Authentication, _time.GetUtcNow());
        if (!chain.IsValid)
        {
            return Fail(isServerProxy, $"the peer's authentication certificate is not valid: {chain.Message}");
        }

        var ocsp = trust.CheckOcsp(authenticationOcsp, chain.Value!, _time.GetUtcNow());
        return ocsp.IsValid ? null : Fail(isServerProxy, $"the peer's authentication certificate has no good OCSP status: {ocsp.Message}");
    }

    private static ExchangeFailure Fail(bool isServerProxy, string message) =>
        isServerProxy
            ? ExchangeFailure.ServerProxy(Common.Errors.ErrorCatalog.SslAuthenticationFailed, message)
            : ExchangeFailure.ClientProxy(Common.Errors.ErrorCatalog.SslAuthenticationFailed, message);
}
